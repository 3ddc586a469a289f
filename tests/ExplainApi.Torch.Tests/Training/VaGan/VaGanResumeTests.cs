using System.Text.Json.Nodes;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.VaGan;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.VaGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class VaGanResumeTests : IDisposable
{
    // 12 generator steps; warm-up (4 critic steps) for the first 3; validation at 5 and 10 and after 12.
    private static readonly JsonObject Options = new()
    {
        ["iterations"] = 12, ["batchSize"] = 4, ["criticSteps"] = 2, ["warmupCriticSteps"] = 4, ["warmupSteps"] = 3, ["validateEvery"] = 5,
        ["learningRate"] = 1e-3, ["seed"] = 5, ["validationFraction"] = 0.1,
    };

    private readonly TrainingTestRun interrupted = new();
    private readonly TrainingTestRun uninterrupted = new();

    [Theory]
    [InlineData(6)]  // after a periodic checkpoint at 4 and a validation at 5 (cancelled at the next step's start)
    [InlineData(10)] // right after a validation that may have changed the best weights
    public void A_run_cancelled_after_N_generator_steps_resumes_with_both_networks_both_Adam_states_and_the_best_weights(int cancelAfter)
    {
        var dataset = new ExplainApi.Core.Datasets.SquaresDataset(count: 40, size: 16, seed: 4);
        using var cancel = new CancellationTokenSource();
        var first = interrupted.Create(dataset, Options, checkpointEverySteps: 4, onReport: p =>
        {
            if (p.Step == cancelAfter)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => VaGanTraining.Train(first, cancel.Token));
        var checkpoint = TrainingCheckpoint.Load(interrupted.Work)!;
        Assert.Equal(cancelAfter, checkpoint.Step);
        Assert.Contains(checkpoint.Tensors, t => t.Name == "critic_adam.exp_avg_sq.score.weight");
        Assert.Contains(checkpoint.Tensors, t => t.Name == "generator.enc1.1.running_var");
        Assert.Contains(checkpoint.Tensors, t => t.Name == "best.head.weight");
        Assert.True(checkpoint.Scalars["critic_adam.steps"] > checkpoint.Scalars["generator_adam.steps"]);
        interrupted.Reports.Clear();

        var (resumed, resumedResult) = VaGanTraining.Train(interrupted.Create(dataset, Options, checkpointEverySteps: 4), CancellationToken.None);
        var (reference, referenceResult) = VaGanTraining.Train(uninterrupted.Create(dataset, Options, checkpointEverySteps: 4), CancellationToken.None);
        using (resumed)
        using (reference)
        {
            Assert.True(interrupted.Reports[0].ResumedFromCheckpoint);
            Assert.Equal(cancelAfter + 1, interrupted.Reports[0].Step);
            Assert.Single(interrupted.Reports, r => r.ResumedFromCheckpoint);
            Assert.Equal(referenceResult.BestStep, resumedResult.BestStep);
            Assert.Equal(referenceResult.Validation.Ncc, resumedResult.Validation.Ncc, 1e-4);
            var a = Flatten(resumed);
            var b = Flatten(reference);
            Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        }
    }

    [Fact]
    public void A_whole_run_with_checkpoints_and_validations_leaves_no_live_tensors_once_the_generator_is_disposed()
    {
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var (generator, _) = VaGanTraining.Train(
            interrupted.Create(new ExplainApi.Core.Datasets.SquaresDataset(count: 40, size: 16, seed: 4), Options, checkpointEverySteps: 3), CancellationToken.None);
        generator.Dispose();

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static float[] Flatten(MapGenerator model) =>
        [.. model.state_dict().Where(e => e.Value.dtype == ScalarType.Float32).SelectMany(e => Values(e.Value))];

    private static float[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().data<float>().ToArray();
    }

    public void Dispose()
    {
        interrupted.Dispose();
        uninterrupted.Dispose();
    }
}
