using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>
/// One application with <c>segmenter</c>: the <see cref="TinySegmenter"/> at <see cref="Size"/>² (per-image min–max to
/// [−1, 1], resizing allowed), so a black pixel is class 2 (dark), a white one class 1 (bright) and mid-grey background.
/// </summary>
public sealed class SegmentFixture : IAsyncLifetime
{
    public const int Size = 16;

    public ExplainApiFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public ModelSessionCache Cache => Factory.Services.GetRequiredService<ModelSessionCache>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient(ExplainApiFactory.InferKey);
        var folder = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllBytes(Path.Combine(folder, "segmenter.onnx"), TinySegmenter.Build(Size));
        var model = new TrainedModel(ModelTask.Segmentation, new ModelInputSpec(1, Size, Size, InputNormalization.MinMaxSymmetric, AllowResize: true),
            [new ModelGraph("segmenter", Path.Combine(folder, "segmenter.onnx"))], [], new Dictionary<string, double>(),
            Segmentation: new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "ground-truth"));
        await Factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync("segmenter", model, "job_test", null, CancellationToken.None);
        await SaliencyFixture.WaitUntilReadyAsync(Client, "segmenter", 1);
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A grey PNG of <paramref name="size"/>² in three vertical stripes: black columns [0, dark), mid-grey, white columns
    /// [bright, size). With even stripe edges a 2× bilinear downsizing keeps every value pure.
    /// </summary>
    public static byte[] Stripes(int size, int dark, int bright) =>
        PngEncoder.Encode([.. Enumerable.Range(0, size * size).Select(p => p % size < dark ? (byte)0 : p % size >= bright ? (byte)255 : (byte)128)],
            size, size, PngPixelFormat.Grey8);
}
