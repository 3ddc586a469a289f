using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SegmentationResumeTests : IDisposable
{
    // 40 images, 8 validation: 4 steps per epoch, 3 epochs, a checkpoint every 4 steps (each after an epoch's validation).
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 40, Size = 48, Seed = 4, Background = LesionBackground.Noise });

    private static readonly JsonObject Options = new()
    {
        ["epochs"] = 3, ["batchSize"] = 8, ["learningRate"] = 3e-3, ["width"] = 4, ["depth"] = 2, ["seed"] = 5, ["classWeights"] = "median-frequency",
    };

    private readonly TrainingTestRun interrupted = new();
    private readonly TrainingTestRun uninterrupted = new();

    [Theory]
    [InlineData(6)] // mid-epoch, after the checkpoint at 4
    [InlineData(8)] // right after a validation that may have changed the best weights
    public void A_run_cancelled_after_N_steps_resumes_with_the_network_the_Adam_state_and_the_best_weights(int cancelAfter)
    {
        using var cancel = new CancellationTokenSource();
        var first = interrupted.Create(Lesions, Options, checkpointEverySteps: 4, onReport: p =>
        {
            if (p.Step == cancelAfter && p.Phase == TrainingLoop.TrainingPhase)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => SegmentationTraining.Train(first, cancel.Token));
        var checkpoint = TrainingCheckpoint.Load(interrupted.Work)!;
        Assert.Equal(cancelAfter, checkpoint.Step);
        Assert.Contains(checkpoint.Tensors, t => t.Name == "adam.exp_avg_sq.head.weight");
        Assert.Contains(checkpoint.Tensors, t => t.Name == "model.down.1.4.running_var");
        Assert.Contains(checkpoint.Tensors, t => t.Name == "best.up.0.1.weight");
        interrupted.Reports.Clear();

        var (resumed, resumedResult) = SegmentationTraining.Train(interrupted.Create(Lesions, Options, checkpointEverySteps: 4), CancellationToken.None);
        var (reference, referenceResult) = SegmentationTraining.Train(uninterrupted.Create(Lesions, Options, checkpointEverySteps: 4), CancellationToken.None);
        using (resumed)
        using (reference)
        {
            Assert.True(interrupted.Reports[0].ResumedFromCheckpoint);
            Assert.Contains("meanIoU", interrupted.Reports[0].Metrics.Keys); // the last validation before the interruption
            Assert.Equal(cancelAfter + 1, interrupted.Reports[0].Step);
            Assert.Equal(referenceResult.BestEpoch, resumedResult.BestEpoch);
            Assert.Equal(referenceResult.Validation.MeanIoU, resumedResult.Validation.MeanIoU, 1e-4);
            var error = Flatten(resumed).Zip(Flatten(reference)).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(error <= 1e-4, $"max-abs {error}");
        }
    }

    [Fact]
    public void A_whole_run_with_checkpoints_and_validations_leaves_no_live_tensors_once_the_segmenter_is_disposed()
    {
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var (segmenter, _) = SegmentationTraining.Train(interrupted.Create(Lesions, Options, checkpointEverySteps: 3), CancellationToken.None);
        segmenter.Dispose();

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static float[] Flatten(UNetSegmenter model) =>
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
