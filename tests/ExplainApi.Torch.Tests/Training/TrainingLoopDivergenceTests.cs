using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Torch.Training;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>A non-finite loss ends the run with the step and the loss's name, before another step runs.</summary>
public sealed class TrainingLoopDivergenceTests : IDisposable
{
    private readonly TrainingTestRun _run = new();

    [Fact]
    public void A_nan_loss_stops_the_run_naming_the_step_and_the_loss()
    {
        var steps = new LossSequence([0.9, 0.7, double.NaN, 0.5]);
        var loop = new TrainingLoop(_run.Create(new LesionsDataset(new LesionsOptions { Count = 4, Size = 48, Seed = 1 }), []), "test", new CheckpointContent(), 1, 4, 1);

        var exception = Assert.Throws<TrainingDivergedException>(() => loop.Run(steps, CancellationToken.None));

        Assert.Contains("step 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("generator loss is NaN", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, steps.Calls);
        Assert.Equal(2, _run.Reports.Count); // the NaN step's progress is never reported
    }

    public void Dispose() => _run.Dispose();

    private sealed class LossSequence(double[] losses) : ITrainingSteps
    {
        public int Calls { get; private set; }

        public IReadOnlyDictionary<string, double> Metrics => new Dictionary<string, double>();

        public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position) =>
            new Dictionary<string, double> { ["critic"] = 0.1, ["generator"] = losses[Calls++] };
    }
}
