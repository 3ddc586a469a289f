using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Tests.Training.Segmentation;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.CycleGan;
using Xunit.Abstractions;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class CycleGanFlipRateSelectionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CentreSquareDataset Data = new(count: 64, side: 32);

    private readonly TrainingTestRun run = new();

    /// <summary>
    /// Linked to a judge that calls "square" when the centre is bright: every validation reports both flip rates, the kept
    /// generators are those of the validation with the highest lower flip rate (ties: the other direction's), the exported
    /// weights reproduce that validation's rates, and training raised them above the first validation's.
    /// </summary>
    [Fact]
    public void Selection_on_the_flip_rate_keeps_the_validation_the_judge_is_most_convinced_by()
    {
        var options = SelectionOptions();
        options["selection"] = "flipRate";
        var provider = new CountingProvider(new CentreContrastJudge());

        var model = CycleGanTrainer.Train(run.Create(Data, options) with { Models = new ManifestRegistry(Judge()), ExplainableModels = provider }, CancellationToken.None);

        var validations = run.Reports.Where(r => r.Phase == "validating").Select(r => (r.Step, Lower: r.Metrics["flipRate"],
            A2B: r.Metrics["flipRate.a2b"], B2A: r.Metrics["flipRate.b2a"])).ToList();
        output.WriteLine(string.Join("; ", validations.Select(v => $"{v.Step}: a2b {v.A2B:F3} b2a {v.B2A:F3}")));
        Assert.Equal(10, validations.Count);
        Assert.All(validations, v => Assert.Equal(Math.Min(v.A2B, v.B2A), v.Lower));
        var best = validations.OrderByDescending(v => v.Lower).ThenByDescending(v => Math.Max(v.A2B, v.B2A)).ThenBy(v => v.Step).First();
        Assert.Equal(best.Step, (long)model.Metrics["bestStep"]);
        Assert.Equal((best.A2B, best.B2A), (model.Metrics["validationFlipRate.a2b"], model.Metrics["validationFlipRate.b2a"]));
        Assert.True(best.Lower > validations[0].Lower, $"no learning: lower flip rate {best.Lower} at best, {validations[0].Lower} at step 10");
        Assert.Equal(2 * validations.Count + 2, provider.Calls); // both directions per validation, and once more for the kept weights
    }

    /// <summary>
    /// Per direction, through a cancel and a resume: G_A is kept at the validation of the
    /// highest a2b flip rate and G_B at that of the highest b2a one (ties: the earlier), so the final evaluation repeats
    /// each direction's flip rate and map energy (one generator's alone) from its own step; the checkpoint holds both bests so far.
    /// </summary>
    [Fact]
    public void Selection_per_direction_keeps_each_generator_at_its_own_best_validation_across_a_resume()
    {
        var options = SelectionOptions();
        options["selection"] = "flipRatePerDirection";
        var provider = new CountingProvider(new CentreContrastJudge());
        using var cancel = new CancellationTokenSource();
        var first = run.Create(Data, options, checkpointEverySteps: 10, onReport: p =>
        {
            if (p.Step == StopAfter)
            {
                cancel.Cancel();
            }
        }) with { Models = new ManifestRegistry(Judge()), ExplainableModels = provider };
        Assert.ThrowsAny<OperationCanceledException>(() => CycleGanTrainer.Train(first, cancel.Token));
        var checkpoint = TrainingCheckpoint.Load(run.Work)!;
        var before = Validations();
        var (keptA2B, keptB2A) = (Best(before, v => v.A2B), Best(before, v => v.B2A));
        Assert.Equal(keptA2B.Step, checkpoint.Tensors.Single(t => t.Name == "early_stopping").Values[1]);
        Assert.Equal(keptB2A.Step, checkpoint.Tensors.Single(t => t.Name == "early_stopping_b2a").Values[1]);
        Assert.Equal(checkpoint.Tensors.Count(t => t.Name.StartsWith("best.", StringComparison.Ordinal)),
            checkpoint.Tensors.Count(t => t.Name.StartsWith("best_b2a.", StringComparison.Ordinal))); // one generator each

        var model = CycleGanTrainer.Train(run.Create(Data, options, checkpointEverySteps: 10) with { Models = new ManifestRegistry(Judge()), ExplainableModels = provider },
            CancellationToken.None);

        var validations = Validations();
        output.WriteLine(string.Join("; ", validations.Select(v => $"{v.Step}: a2b {v.A2B:F3} b2a {v.B2A:F3}")));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => 10L * i), validations.Select(v => v.Step));
        var (bestA2B, bestB2A) = (Best(validations, v => v.A2B), Best(validations, v => v.B2A));
        Assert.True(Math.Min(bestA2B.Step, bestB2A.Step) < StopAfter, "the test needs a best kept through the resume");
        Assert.Equal((bestA2B.Step, bestB2A.Step), ((long)model.Metrics["bestStep.a2b"], (long)model.Metrics["bestStep.b2a"]));
        Assert.False(model.Metrics.ContainsKey("bestStep"));
        Assert.Equal((bestA2B.A2B, bestB2A.B2A), (model.Metrics["validationFlipRate.a2b"], model.Metrics["validationFlipRate.b2a"]));
        Assert.Equal(bestA2B.EnergyA2B, model.Metrics["validationMapEnergy.a2b"], 1e-6);
        Assert.Equal(bestB2A.EnergyB2A, model.Metrics["validationMapEnergy.b2a"], 1e-6);
        Assert.True(bestA2B.A2B > validations[0].A2B, "no learning a2b"); // b2a: the judge is convinced from the start, so cycle L1 decides
    }

    private const int StopAfter = 55;

    private List<Validation> Validations() =>
        [.. run.Reports.Where(r => r.Phase == "validating").Select(r => new Validation(r.Step, r.Metrics["flipRate.a2b"], r.Metrics["flipRate.b2a"],
            r.Metrics["mapEnergy.a2b"], r.Metrics["mapEnergy.b2a"]))];

    private static Validation Best(List<Validation> validations, Func<Validation, double> rate) =>
        validations.OrderByDescending(rate).ThenBy(v => v.Step).First();

    private sealed record Validation(long Step, double A2B, double B2A, double EnergyA2B, double EnergyB2A);

    [Fact]
    public void Selection_on_the_flip_rate_without_a_served_classifier_fails_before_training()
    {
        var options = CycleGanTrainerTests.TinyOptions();
        options["classifier"] = "judge";
        options["selection"] = "flipRate";

        var error = Assert.Throws<InvalidOperationException>(() =>
            CycleGanTrainer.Train(run.Create(Data, options) with { Models = new ManifestRegistry(Judge()) }, CancellationToken.None));

        Assert.Contains("flipRate", error.Message);
        Assert.Empty(run.Reports);
    }

    public void Dispose() => run.Dispose();

    /// <summary>80 + 20 tiny steps validated every 10 on 12 images per class, linked to the judge.</summary>
    private static JsonObject SelectionOptions()
    {
        var options = CycleGanTrainerTests.TinyOptions(iterations: 80, decay: 20);
        options["generatorWidth"] = 8;
        options["validateEvery"] = 10;
        options["validationImages"] = 12;
        options["classifier"] = "judge";
        return options;
    }

    private static ModelManifest Judge() =>
        new("judge", 1, ModelTask.Classification, new ModelInputSpec(1, 32, 32, Data.Normalization, false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)],
            new ClassificationSection([.. Data.ClassNames], [], OutputActivation.Softmax), null,
            null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());

    /// <summary>"square" (class 1) when the centre 8×8 is brighter than the whole image by more than 0.2 (real squares: ≈ 0.94, plain: ≈ 0).</summary>
    private sealed class CentreContrastJudge : IExplainableModel
    {
        public ModelShape Shape => new(1, 32, 32, 2);

        public string? TargetLayer => null;

        public bool HasActivations => false;

        public bool HasGradients => false;

        public bool HasLinearHead => false;

        public bool HasSeparableHead => false;

        public int MaxBatch => 8;

        public ForwardPass Forward(float[] inputs, int batch)
        {
            var logits = new float[batch * 2];
            for (var n = 0; n < batch; n++)
            {
                var image = inputs.AsSpan(n * 1024, 1024);
                double centre = 0, all = 0;
                for (var i = 0; i < 1024; i++)
                {
                    all += image[i];
                    centre += i / 32 is >= 12 and < 20 && i % 32 is >= 12 and < 20 ? image[i] : 0;
                }
                var margin = (float)(centre / 64 - all / 1024 - 0.2);
                (logits[2 * n], logits[2 * n + 1]) = (-margin, margin);
            }
            return new ForwardPass(logits, null, null);
        }

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => throw new NotSupportedException();

        public float[] HeadWeights(int targetClass) => throw new NotSupportedException();

        public float[] HeadLogits(float[] activations, int batch) => throw new NotSupportedException();
    }
}
