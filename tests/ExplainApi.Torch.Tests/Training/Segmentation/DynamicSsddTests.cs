using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Torch.Tests.Explaining;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.Segmentation;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>A segmentation job with dynamic SSDD: both detectors learn inside the segmenter's steps, and it exports as any segmenter.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class DynamicSsddTests : IDisposable
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 24, Size = 48, Seed = 5, Background = LesionBackground.Noise });

    private readonly TrainingTestRun _run = new();

    [Fact]
    public async Task The_dynamic_variant_trains_its_detectors_inside_the_segmenter_steps_and_exports_a_segmenter()
    {
        using var model = JudgeClassifier.Create();
        var options = new JsonObject
        {
            ["masks"] = "ssdd", ["ssddVariant"] = "dynamic", ["classifier"] = "judge", ["crfIterations"] = 3, ["seed"] = 3, ["ssddEpochs"] = 2,
            ["epochs"] = 8, ["batchSize"] = 8, ["width"] = 8, ["depth"] = 2, ["learningRate"] = 3e-3,
        };
        var run = _run.Create(Lesions, options) with { Models = new ManifestRegistry(PseudoMaskPhasesTests.Judge()), ExplainableModels = new CountingProvider(model) };

        var trained = await new SegmentationTrainer().TrainAsync(run, CancellationToken.None);
        var steps = _run.Reports.Where(r => r.Phase == "training").ToList();
        var detection = steps.Select(r => r.Losses["differenceDetection"]).ToList();
        var segmentation = steps.Select(r => r.Losses["train"]).ToList();

        Assert.Equal(ModelTask.Segmentation, trained.Task);
        Assert.Equal("ssdd", trained.Segmentation!.Masks);
        Assert.True(File.Exists(Path.Combine(_run.Output, SegmentationTrainer.SegmenterFile)));
        Assert.Null(trained.Segmentation.Ssdd); // its masks are not static SSDD's: no detector, so no ssdd stage to serve
        Assert.Equal(["seed", "crf"], trained.Segmentation.Stages);
        Assert.True(detection.Count >= 8);
        Assert.True(detection.TakeLast(4).Average() < detection.Take(4).Average(), $"difference detection {string.Join(", ", detection)}");
        Assert.True(segmentation.TakeLast(4).Average() < segmentation.Take(4).Average(), $"segmentation {string.Join(", ", segmentation)}");
    }

    [Fact]
    public void Both_modules_integrate_with_the_training_biases_and_the_runs_erased_class_threshold_and_sign()
    {
        var options = SegmentationOptions.From(new JsonObject
        {
            ["masks"] = "ssdd", ["ssddVariant"] = "dynamic", ["classifier"] = "judge", ["ssddErasedRatio"] = 0.2, ["ssddSign"] = "flipped", ["width"] = 4, ["depth"] = 1,
        });

        using var dynamic = new DynamicSsdd(Lesions, options);

        Assert.Equal(new SsddBiases(0.4, 0, 0.2, SsddSign.Flipped), dynamic.Biases);
    }

    public void Dispose() => _run.Dispose();
}
