using System.Diagnostics;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.VaGan;
using Xunit.Abstractions;

namespace ExplainApi.Torch.Tests.Training.VaGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class VaGanTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TrainingTestRun first = new();
    private readonly TrainingTestRun second = new();

    /// <summary>
    /// Small squares (32²), small batches, few critic steps and a short warm-up, a high learning rate and a weak L1 term
    /// (the paper's 100 holds the map near zero for far longer than a test runs): enough for the map to find the boxes.
    /// </summary>
    internal static JsonObject TinyOptions(int iterations = 80) => new()
    {
        ["iterations"] = iterations, ["batchSize"] = 8, ["criticSteps"] = 3, ["warmupCriticSteps"] = 10, ["warmupSteps"] = 5, ["validateEvery"] = 20,
        ["learningRate"] = 2e-3, ["l1Weight"] = 1, ["seed"] = 3,
    };

    internal static SquaresDataset TinySquares() => new(count: 200, size: 32, seed: 2);

    [Fact]
    public void A_tiny_run_on_squares_finds_the_boxes_better_than_the_untrained_generator_and_moves_the_critic()
    {
        var dataset = TinySquares();
        var options = VaGanOptions.From(TinyOptions());
        var clock = Stopwatch.StartNew();

        var (generator, result) = VaGanTraining.Train(first.Create(dataset, TinyOptions()), CancellationToken.None);
        using var _ = generator;
        using var untrained = VaGanTraining.CreateGenerator(dataset, options);
        using var critic = VaGanTraining.CreateCritic(dataset, options);
        var split = StratifiedSplit.Create(dataset, options.ValidationFraction, options.Seed);
        var validation = new VaGanValidation(dataset, [.. split.Validation.Where(i => dataset.LabelOf(i) == 1)], [.. split.Validation.Where(i => dataset.LabelOf(i) == 0)],
            [.. split.Train.Where(i => dataset.LabelOf(i) == 1)]);
        var before = validation.Evaluate(untrained, critic);

        var estimates = first.Reports.Where(r => r.Phase == "training").Select(r => r.Losses["wasserstein"]).ToList();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s; NCC untrained {before.Ncc:F3}, trained {result.Validation.Ncc:F3} at step {result.BestStep}; "
            + $"estimate first {estimates[0]:F3}, last {estimates[^1]:F3}, max {estimates.Max():F3}");
        Assert.Equal(("abnormal", "normal"), (result.FromClass, result.ToClass));
        Assert.True(result.Validation.Ncc > before.Ncc + 0.2, $"validation NCC {result.Validation.Ncc:F3}, untrained {before.Ncc:F3}");
        Assert.True(Math.Abs(estimates.Max() - estimates[0]) > 0.05, "the critic's Wasserstein estimate moved");
    }

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
    }
}
