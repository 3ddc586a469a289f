using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Imaging.Skia;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Serving;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>
/// One application at <see cref="NoisySquare.Size"/>²: the <see cref="TinySegmenter"/> as <c>gt-segmenter</c> (ground-truth
/// masks, no link), as <c>crf-segmenter</c> (crf masks linked to <c>stage-classifier</c> v1) and as <c>orphan-segmenter</c>
/// (linked to a classifier never registered); <c>stage-classifier</c> is a seeded multi-label ResNet whose classes
/// (dark, bright) are in the other order than the segmenter's (background, bright, dark).
/// </summary>
public sealed class SegmentStagesFixture : IAsyncLifetime
{
    public const int Size = NoisySquare.Size;

    public static readonly string[] ClassifierClasses = ["dark", "bright"];

    public ExplainApiFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public ModelSessionCache Cache => Factory.Services.GetRequiredService<ModelSessionCache>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient(ExplainApiFactory.InferKey);
        byte[] classifier;
        using (var model = new ResNetClassifier(1, Size, Size, classes: 2, baseWidth: 8, depth: 2))
        {
            model.InitializeWeights(11);
            model.eval();
            classifier = ResNetOnnx.Export(model, OutputActivation.Sigmoid);
        }

        await SaliencyFixture.RegisterAsync(Factory, "stage-classifier", classifier, allowResize: true, size: Size, classes: ClassifierClasses, activation: OutputActivation.Sigmoid);
        await RegisterSegmenterAsync("gt-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "ground-truth"));
        await RegisterSegmenterAsync("crf-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "crf", new LinkedModel("stage-classifier", 1)));
        await RegisterSegmenterAsync("orphan-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "seeds", new LinkedModel("gone-classifier", 1)));
        foreach (var name in new[] { "stage-classifier", "gt-segmenter", "crf-segmenter", "orphan-segmenter" })
        {
            await SaliencyFixture.WaitUntilReadyAsync(Client, name, 1);
        }
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The PNG decoded and normalised as <paramref name="name"/> v1 takes it (the route's own preprocessing).</summary>
    public float[] Input(string name, byte[] png)
    {
        var image = new SkiaPngDecoder().Decode(png, DecodeOptions.Default, ImageLimits.Default);
        Assert.True(Cache.TryGet(name, 1, out var model));
        return ModelInputs.Prepare(image, model.Manifest.Input, 0, 1).Input!;
    }

    private async Task RegisterSegmenterAsync(string name, SegmentationSection section)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllBytes(Path.Combine(folder, "segmenter.onnx"), TinySegmenter.Build(Size));
        var model = new TrainedModel(ModelTask.Segmentation, new ModelInputSpec(1, Size, Size, InputNormalization.MinMaxSymmetric, AllowResize: true),
            [new ModelGraph("segmenter", Path.Combine(folder, "segmenter.onnx"))], [], new Dictionary<string, double>(), Segmentation: section);
        await Factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync(name, model, "job_test", null, CancellationToken.None);
    }
}
