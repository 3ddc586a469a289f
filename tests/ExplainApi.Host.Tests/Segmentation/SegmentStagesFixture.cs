using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Imaging.Skia;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Serving;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.Segmentation;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>
/// One application at <see cref="NoisySquare.Size"/>²: the <see cref="TinySegmenter"/> as <c>gt-segmenter</c> (ground-truth
/// masks, no link), as <c>crf-segmenter</c> (crf masks linked to <c>stage-classifier</c> v1) and as <c>orphan-segmenter</c>
/// (linked to a classifier never registered); <c>stage-classifier</c> is a seeded multi-label ResNet whose classes
/// (dark, bright) are in the other order than the segmenter's (background, bright, dark). <c>ssdd-segmenter</c> is crf-segmenter
/// with a seeded static-SSDD detector graph (<see cref="DetectorOnnx"/>) and non-default <see cref="SsddBiases"/>.
/// </summary>
public sealed class SegmentStagesFixture : IAsyncLifetime
{
    public const int Size = NoisySquare.Size;

    public static readonly string[] ClassifierClasses = ["dark", "bright"];

    public static readonly SsddBiases Biases = new(0.3, 0.2, 0.5, SsddSign.Flipped);

    public ExplainApiFactory Factory { get; } = new();

    public byte[] DetectorOnnx { get; private set; } = [];

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The α and CRF "tuned-segmenter" records as its training's (not the defaults).</summary>
    public static PseudoMaskSettings Tuned { get; } = new(1, new DenseCrfParameters(2, 1, 20, 8, 4, 5));

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
        await RegisterSegmenterAsync("tuned-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "crf", new LinkedModel("stage-classifier", 1),
            PseudoMasks: Tuned));
        await RegisterSegmenterAsync("orphan-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "seeds", new LinkedModel("gone-classifier", 1)));
        using (var segmenter = new UNetSegmenter(1, TinySegmenter.ClassNames.Count, 4, 2))
        using (var detector = new DifferenceDetector(4, TinySegmenter.ClassNames.Count))
        {
            SeededInitialization.Apply(segmenter, 5);
            SeededInitialization.Apply(detector, 6);
            segmenter.eval();
            detector.eval();
            DetectorOnnx = DifferenceDetectorOnnx.Export(segmenter, detector, Size, Size);
        }
        await RegisterSegmenterAsync("ssdd-segmenter", new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "ssdd", new LinkedModel("stage-classifier", 1),
            ["seed", "crf", "ssdd"], new SsddSection("ssdd-detector", Biases)), DetectorOnnx);
        foreach (var name in new[] { "stage-classifier", "gt-segmenter", "crf-segmenter", "tuned-segmenter", "orphan-segmenter", "ssdd-segmenter" })
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

    private async Task RegisterSegmenterAsync(string name, SegmentationSection section, byte[]? detector = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllBytes(Path.Combine(folder, "segmenter.onnx"), TinySegmenter.Build(Size));
        List<ModelGraph> graphs = [new ModelGraph("segmenter", Path.Combine(folder, "segmenter.onnx"))];
        if (detector is not null)
        {
            File.WriteAllBytes(Path.Combine(folder, "ssdd-detector.onnx"), detector);
            graphs.Add(new ModelGraph("ssdd-detector", Path.Combine(folder, "ssdd-detector.onnx")));
        }
        var model = new TrainedModel(ModelTask.Segmentation, new ModelInputSpec(1, Size, Size, InputNormalization.MinMaxSymmetric, AllowResize: true),
            graphs, [], new Dictionary<string, double>(), Segmentation: section);
        await Factory.Services.GetRequiredService<IModelRegistry>().RegisterAsync(name, model, "job_test", null, CancellationToken.None);
    }
}
