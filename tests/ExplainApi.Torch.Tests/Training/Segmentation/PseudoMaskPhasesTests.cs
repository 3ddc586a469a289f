using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Tests.Explaining;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Tests.Training;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.Segmentation;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>Each phase's pseudo-masks are stored once: a restarted job reads them, and a changed configuration is refused.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class PseudoMaskPhasesTests : IDisposable
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 24, Size = 48, Seed = 5, Background = LesionBackground.Noise });

    private readonly TrainingTestRun _run = new();

    [Fact]
    public async Task A_restarted_job_reads_its_stored_pseudo_masks_instead_of_asking_the_classifier_again()
    {
        using var model = JudgeClassifier.Create();
        var provider = new CountingProvider(model);
        var options = new JsonObject { ["masks"] = "crf", ["classifier"] = "judge", ["crfIterations"] = 2, ["seed"] = 3 };

        var first = await PseudoMaskPhases.RunAsync(Run(options, provider), SegmentationOptions.From(options), CancellationToken.None);
        var reportsBefore = _run.Reports.Count;
        var again = await PseudoMaskPhases.RunAsync(Run(options, provider), SegmentationOptions.From(options), CancellationToken.None);

        Assert.Equal(1, provider.Calls);
        Assert.True(File.Exists(Path.Combine(_run.Work, "pseudo-masks.seeds.bin")));
        Assert.True(File.Exists(Path.Combine(_run.Work, "pseudo-masks.crf.bin")));
        Assert.Equal(first.Masks.Keys.Order(), again.Masks.Keys.Order());
        Assert.All(first.Masks, pair => Assert.Equal(pair.Value, again.Masks[pair.Key]));
        Assert.Equal(first.Quality.MeanIou, again.Quality.MeanIou);
        Assert.All(_run.Reports.Skip(reportsBefore), report => Assert.True(report.ResumedFromCheckpoint));
    }

    [Fact]
    public async Task Stored_pseudo_masks_of_another_configuration_are_refused()
    {
        using var model = JudgeClassifier.Create();
        var provider = new CountingProvider(model);
        var options = new JsonObject { ["masks"] = "seeds", ["classifier"] = "judge", ["seed"] = 3 };
        await PseudoMaskPhases.RunAsync(Run(options, provider), SegmentationOptions.From(options), CancellationToken.None);

        var otherAlpha = new JsonObject { ["masks"] = "seeds", ["classifier"] = "judge", ["seed"] = 3, ["alpha"] = 4 };

        await Assert.ThrowsAsync<TrainingCheckpointException>(() =>
            PseudoMaskPhases.RunAsync(Run(otherAlpha, provider), SegmentationOptions.From(otherAlpha), CancellationToken.None));
        Assert.Equal(1, provider.Calls);
    }

    [Fact]
    public async Task Static_ssdd_learns_where_seed_and_crf_differ_and_integrates_them_pixel_by_pixel_once()
    {
        using var model = JudgeClassifier.Create();
        var provider = new CountingProvider(model);
        var options = new JsonObject
        {
            ["masks"] = "ssdd", ["classifier"] = "judge", ["crfIterations"] = 3, ["seed"] = 3, ["ssddEpochs"] = 16, ["batchSize"] = 8,
            ["width"] = 8, ["depth"] = 2, ["learningRate"] = 3e-3,
        };

        var result = await PseudoMaskPhases.RunAsync(Run(options, provider), SegmentationOptions.From(options), CancellationToken.None);
        // Batches whose every image lost a class to the CRF carry no detector loss (0): left out.
        var detection = _run.Reports.Where(r => r.Phase == StaticSsdd.Phase && r.Losses.GetValueOrDefault("differenceDetection") > 0).Select(r => r.Losses["differenceDetection"]).ToList();
        var reportsBefore = _run.Reports.Count;
        var again = await PseudoMaskPhases.RunAsync(Run(options, provider), SegmentationOptions.From(options), CancellationToken.None);

        Assert.Equal(["bestOfSeedsAndCrf", "crf", "seeds", "ssdd"], result.Phases.Keys.Order());
        Assert.All(result.Phases.Where(p => p.Key != PseudoMaskPhases.BestOfSeedsAndCrf), p => Assert.True(p.Value.MillisecondsPerImage > 0));
        // Per pixel the truth where seed or CRF has it, else the CRF: never below the CRF's IoU for any class.
        Assert.True(result.Phases["bestOfSeedsAndCrf"].Quality.MeanIou >= result.Phases["crf"].Quality.MeanIou);
        // preferenceAuroc only when both kinds of decidable pixel occur; bestBias is a bias on σ(d_K) − σ(d_A), in [−1, 1].
        Assert.Subset(result.Diagnostics!.Keys.ToHashSet(), new HashSet<string> { "ssdd.decidable.adviceRight", "ssdd.decidable.detectorRight",
            "ssdd.decidable.integrationRight", "ssdd.decidable.bestBiasRight", "ssdd.decidable.bestBias", "ssdd.disputedShare" });
        Assert.Empty(result.Diagnostics.Keys.Except(["ssdd.decidable.adviceRight", "ssdd.decidable.detectorRight", "ssdd.decidable.integrationRight",
            "ssdd.decidable.bestBiasRight", "ssdd.decidable.bestBias", "ssdd.decidable.preferenceAuroc", "ssdd.disputedShare"]));
        Assert.All(result.Diagnostics.Where(d => d.Key != "ssdd.decidable.bestBias"), d => Assert.InRange(d.Value, 0, 1));
        Assert.InRange(result.Diagnostics["ssdd.decidable.bestBias"], -1, 1);
        // Always taking the CRF is one of the biases tried.
        Assert.True(result.Diagnostics["ssdd.decidable.bestBiasRight"] >= result.Diagnostics["ssdd.decidable.adviceRight"] - 1e-12);
        Assert.True(result.Diagnostics["ssdd.disputedShare"] > 0);
        Assert.True(File.Exists(Path.Combine(_run.Work, "pseudo-masks.ssdd.bin")));
        Assert.True(detection.Count >= 8, $"{detection.Count} detector steps reported");
        Assert.True(detection.TakeLast(8).Average() < detection.Take(8).Average(), $"difference-detection loss {string.Join(", ", detection.Select(d => d.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.All(again.Masks, pair => Assert.Equal(result.Masks[pair.Key], pair.Value));
        Assert.All(_run.Reports.Skip(reportsBefore), report => Assert.True(report.ResumedFromCheckpoint));
        Assert.Equal(1, provider.Calls);

        // Each refined pixel is the seed's or the CRF's label: read both stored phases back through a seeds/crf run.
        var crfOptions = (JsonObject)options.DeepClone();
        crfOptions["masks"] = "crf";
        var crf = await PseudoMaskPhases.RunAsync(Run(crfOptions, provider), SegmentationOptions.From(crfOptions), CancellationToken.None);
        crfOptions["masks"] = "seeds";
        var seeds = await PseudoMaskPhases.RunAsync(Run(crfOptions, provider), SegmentationOptions.From(crfOptions), CancellationToken.None);
        Assert.All(result.Masks, pair => Assert.All(Enumerable.Range(0, pair.Value.Length),
            p => Assert.True(pair.Value[p] == seeds.Masks[pair.Key][p] || pair.Value[p] == crf.Masks[pair.Key][p])));
    }

    public void Dispose() => _run.Dispose();

    private TrainingRun Run(JsonObject options, IExplainableModelProvider provider) =>
        _run.Create(Lesions, options) with { Models = new ManifestRegistry(Judge()), ExplainableModels = provider };

    /// <summary>The registered classifier "judge" the pseudo-mask tests link (its explainer comes from <see cref="CountingProvider"/>).</summary>
    internal static ModelManifest Judge() =>
        new("judge", 1, ModelTask.Classification, new ModelInputSpec(1, 48, 48, Lesions.Normalization, false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)],
            new ClassificationSection([.. Lesions.ClassNames], ["layer2"], OutputActivation.Sigmoid), null,
            null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
}
