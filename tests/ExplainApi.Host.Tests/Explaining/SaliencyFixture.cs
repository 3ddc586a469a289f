using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// One application for the saliency tests with the tiny conv net registered three ways: <c>conv</c> (exported, with
/// gradients, 1×8×8 only), <c>conv-resize</c> (the same, resizing allowed) and <c>conv-nan</c> (logits are NaN).
/// </summary>
public sealed class SaliencyFixture : IAsyncLifetime
{
    public static readonly string[] Classes = ["healthy", "lesion", "other"];

    public ExplainApiFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public ModelSessionCache Cache => Factory.Services.GetRequiredService<ModelSessionCache>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient(ExplainApiFactory.InferKey);
        await RegisterAsync(Factory, "conv", TinyConvNet.Exported(), allowResize: false);
        await RegisterAsync(Factory, "conv-resize", TinyConvNet.Exported(), allowResize: true);
        await RegisterAsync(Factory, "conv-nan", TinyConvNet.Exported(nanLogits: true), allowResize: false);
        foreach (var name in new[] { "conv", "conv-resize", "conv-nan" })
        {
            await WaitUntilReadyAsync(Client, name, 1);
        }
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    public static Task<ModelManifest> RegisterAsync(
        ExplainApiFactory factory, string name, byte[] onnx, bool allowResize, int size = TinyConvNet.Size, string[]? classes = null,
        OutputActivation activation = OutputActivation.Softmax)
    {
        var folder = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        var onnxFile = Path.Combine(folder, "model.onnx");
        var weightsFile = Path.Combine(folder, "weights.bin");
        File.WriteAllBytes(onnxFile, onnx);
        File.WriteAllBytes(weightsFile, [1, 2, 3]);
        var input = new ModelInputSpec(TinyConvNet.Channels, size, size, InputNormalization.Window(1), allowResize);
        var model = TrainedModel.Classifier(onnxFile, weightsFile, input, classes ?? Classes, ["features"], new Dictionary<string, double>(), activation);
        return factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync(name, model, "job_test", null, CancellationToken.None);
    }

    /// <summary>A KServe V2 explain body of <paramref name="images"/> of the tiny conv net's 1×8×8 images.</summary>
    public static object KServeTensor(int images, object parameters) => new
    {
        inputs = new[]
        {
            new { name = "input", shape = new[] { images, 1, 8, 8 }, datatype = "FP32", data = Enumerable.Range(0, images).SelectMany(i => TinyConvNet.Image(i + 1)).ToArray() },
        },
        parameters,
    };

    public static async Task WaitUntilReadyAsync(HttpClient client, string name, int version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetAsync($"/v2/models/{name}/versions/{version}/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} version {version} did not become ready.");
            await Task.Delay(50);
        }
    }

    /// <summary>POST an image to the saliency route with an Accept header.</summary>
    public async Task<HttpResponseMessage> PostAsync(string query, HttpContent content, string accept = "application/json", HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await (client ?? Client).SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(string query, HttpContent content)
    {
        var response = await PostAsync(query, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>The IHDR of a PNG (and that Skia decodes it): size, bit depth, colour type.</summary>
public sealed record PngHeader(int Width, int Height, int BitDepth, int ColourType)
{
    public static PngHeader Read(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        return new(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), png[24], png[25]);
    }
}
