using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Perturbation;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using ExplainApi.Onnx.Tests.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>
/// One application with the tiny conv net as the classifier <c>judge</c> (1×8×8, healthy / lesion / other) and difference-map
/// models over tiny seeded generators: <c>gan</c> (a2b healthy → lesion and b2a, VA-GAN, linked to judge),
/// <c>gan-orphan</c> (linked to a classifier deleted since), <c>gan-broken</c> (its b2a graph is not ONNX) and
/// <c>gan-judged-by-broken</c> (linked to a classifier that failed to load); <c>segmenter</c> is a segmentation model.
/// </summary>
public sealed class DifferenceMapFixture : IAsyncLifetime
{
    public const int Size = TinyConvNet.Size, SeedA2B = 11, SeedB2A = 12;

    public ExplainApiFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public ModelSessionCache Cache => Factory.Services.GetRequiredService<ModelSessionCache>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient(ExplainApiFactory.InferKey);
        await SaliencyFixture.RegisterAsync(Factory, "judge", TinyConvNet.Exported(), allowResize: false);
        await SaliencyFixture.RegisterAsync(Factory, "judge-gone", TinyConvNet.Exported(), allowResize: false);
        await RegisterAsync("gan", TinyGenerator.Build(1, Size, SeedB2A), new LinkedModel("judge", 1));
        await RegisterAsync("gan-orphan", TinyGenerator.Build(1, Size, SeedB2A), new LinkedModel("judge-gone", 1));
        await RegisterAsync("gan-broken", "not an onnx graph"u8.ToArray(), null);
        await SaliencyFixture.RegisterAsync(Factory, "judge-broken", "not an onnx graph"u8.ToArray(), allowResize: false);
        await RegisterAsync("gan-judged-by-broken", TinyGenerator.Build(1, Size, SeedB2A), new LinkedModel("judge-broken", 1));
        await RegisterSegmenterAsync();
        foreach (var name in new[] { "judge", "gan", "gan-orphan", "gan-judged-by-broken", "segmenter" })
        {
            await SaliencyFixture.WaitUntilReadyAsync(Client, name, 1);
        }

        using var admin = Factory.CreateClient(ExplainApiFactory.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/models/judge-gone")).StatusCode);
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The model input of <see cref="TestImages.Gradient8"/>(8, 8): window [0, 255] to [0, 1], then (v − 0.5) / 0.5.</summary>
    public static float[] GradientInput() =>
        [.. Enumerable.Range(0, Size * Size).Select(i => ((((i % Size) * 7) + ((i / Size) * 3)) % 256 / 255f * 2f) - 1f)];

    /// <summary>The classifier's probabilities computed here: softmax of the tiny conv net's reference logits.</summary>
    public static double[] Probabilities(float[] image) => Softmax.Of(TinyConvNet.Reference(image).Logits);

    public static float[] Floats(JsonElement base64)
    {
        var bytes = Convert.FromBase64String(base64.GetString()!);
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4))];
    }

    /// <summary>A segmentation version: the tiny segmenter, so the task routes can be told apart.</summary>
    private async Task RegisterSegmenterAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllBytes(Path.Combine(folder, "s.onnx"), TinySegmenter.Build(Size));
        var model = new TrainedModel(ModelTask.Segmentation, new ModelInputSpec(1, Size, Size, InputNormalization.Window(1), AllowResize: false),
            [new ModelGraph("segmenter", Path.Combine(folder, "s.onnx"))], [], new Dictionary<string, double>(),
            Segmentation: new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "ground-truth"));
        await Factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync("segmenter", model, "job_test", null, CancellationToken.None);
    }

    private async Task RegisterAsync(string name, byte[] b2a, LinkedModel? classifier)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllBytes(Path.Combine(folder, "g.onnx"), TinyGenerator.Build(1, Size, SeedA2B));
        File.WriteAllBytes(Path.Combine(folder, "g-b2a.onnx"), b2a);
        var section = new DifferenceMapSection("vagan", ["healthy", "lesion"],
            [new("a2b", "generator", "healthy", "lesion"), new("b2a", "generator-b2a", "lesion", "healthy")], classifier);
        var model = new TrainedModel(ModelTask.DifferenceMap, new ModelInputSpec(1, Size, Size, InputNormalization.Window(1), AllowResize: false),
            [new ModelGraph("generator", Path.Combine(folder, "g.onnx")), new ModelGraph("generator-b2a", Path.Combine(folder, "g-b2a.onnx"))], [],
            new Dictionary<string, double>(), DifferenceMap: section);
        await Factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync(name, model, "job_test", null, CancellationToken.None);
    }
}
