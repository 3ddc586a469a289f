using System.Diagnostics;
using System.Text.Json.Nodes;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using Xunit.Abstractions;

namespace ExplainApi.Torch.Tests.Training.Classifier;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class ClassifierTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TrainingTestRun first = new();
    private readonly TrainingTestRun second = new();

    [Fact]
    public void Learns_a_bright_centre_square_to_at_least_95_percent_validation_accuracy()
    {
        var options = new JsonObject { ["epochs"] = 8, ["batchSize"] = 16, ["learningRate"] = 3e-3, ["width"] = 8, ["depth"] = 2, ["seed"] = 5 };
        var clock = Stopwatch.StartNew();

        var (model, result) = ClassifierTraining.Train(first.Create(new CentreSquareDataset(200), options), CancellationToken.None);
        using var _ = model;

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, {result.EpochsRun} epochs, best {result.BestEpoch}: "
            + string.Join(", ", result.Validation.ToDictionary(["plain", "square"]).Select(m => $"{m.Key}={m.Value:F4}")));
        Assert.True(result.Validation.Accuracy >= 0.95, $"validation accuracy {result.Validation.Accuracy}");
        Assert.True(result.Validation.MacroAuroc >= 0.95, $"validation AUROC {result.Validation.MacroAuroc}");
        var validating = first.Reports.Where(r => r.Phase == "validating").ToList();
        Assert.Equal(result.EpochsRun, validating.Count);
        Assert.All(validating, r => Assert.Contains("auroc.square", r.Metrics.Keys));
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_a_lower_validation_loss_and_keeps_the_best_weights()
    {
        // Random labels: the training loss falls, the validation loss cannot keep falling.
        var options = new JsonObject { ["epochs"] = 40, ["batchSize"] = 16, ["learningRate"] = 1e-2, ["width"] = 8, ["depth"] = 1, ["earlyStoppingPatience"] = 2, ["seed"] = 2 };

        var (model, result) = ClassifierTraining.Train(first.Create(new CentreSquareDataset(80, randomLabels: true, side: 16), options), CancellationToken.None);
        using var _ = model;

        var losses = first.Reports.Where(r => r.Phase == "validating").Select(r => r.Metrics["loss"]).ToList();
        output.WriteLine(string.Join(", ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 2, result.EpochsRun);
        Assert.Equal(result.EpochsRun, losses.Count);
        Assert.Equal(losses.Min(), losses[result.BestEpoch - 1]);
        Assert.All(losses.Skip(result.BestEpoch), l => Assert.True((float)l >= (float)losses[result.BestEpoch - 1]));
        Assert.Equal(losses[result.BestEpoch - 1], result.Validation.Loss, 1e-5); // the kept weights are the best epoch's
    }

    [Theory]
    [InlineData(5)]  // mid-epoch, after a periodic checkpoint at 4
    [InlineData(8)]  // at an epoch boundary (4 steps per epoch), right after validation
    public void A_run_cancelled_mid_way_resumes_with_weights_Adam_state_and_augmentation_and_ends_as_the_uninterrupted_one(int cancelAfter)
    {
        var options = new JsonObject { ["epochs"] = 3, ["batchSize"] = 8, ["width"] = 8, ["depth"] = 2, ["augmentation"] = true, ["seed"] = 4 };
        var dataset = new CentreSquareDataset(40, side: 16); // 32 train → 4 steps per epoch
        using var cancel = new CancellationTokenSource();
        var interrupted = first.Create(dataset, options, checkpointEverySteps: 4, onReport: p =>
        {
            if (p.Step == cancelAfter)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => ClassifierTraining.Train(interrupted, cancel.Token));
        var checkpoint = TrainingCheckpoint.Load(first.Work)!;
        Assert.Contains(checkpoint.Tensors, t => t.Name == "adam.exp_avg_sq.layer2.0.conv1.weight");
        Assert.Contains(checkpoint.Tensors, t => t.Name == "model.layer1.0.bn1.running_var");

        var (resumed, resumedResult) = ClassifierTraining.Train(first.Create(dataset, options, checkpointEverySteps: 4), CancellationToken.None);
        var (reference, referenceResult) = ClassifierTraining.Train(second.Create(dataset, options, checkpointEverySteps: 4), CancellationToken.None);
        using (resumed)
        using (reference)
        {
            Assert.Single(first.Reports, r => r.ResumedFromCheckpoint);
            Assert.Equal(cancelAfter + 1, first.Reports.Single(r => r.ResumedFromCheckpoint).Step);
            Assert.Equal(referenceResult.BestEpoch, resumedResult.BestEpoch);
            Assert.Equal(referenceResult.Validation.Loss, resumedResult.Validation.Loss, 1e-4);
            var a = Flatten(resumed);
            var b = Flatten(reference);
            Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        }
    }

    [Fact]
    public void A_whole_run_with_checkpoints_and_early_stopping_leaves_no_live_tensors_once_the_model_is_disposed()
    {
        var options = new JsonObject { ["epochs"] = 2, ["batchSize"] = 8, ["width"] = 8, ["depth"] = 2, ["augmentation"] = true, ["earlyStoppingPatience"] = 1 };
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var (model, _) = ClassifierTraining.Train(first.Create(new CentreSquareDataset(24, side: 16), options, checkpointEverySteps: 1), CancellationToken.None);
        model.Dispose();

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static float[] Flatten(ResNetClassifier model) =>
        [.. model.state_dict().Where(e => e.Value.dtype == TorchSharp.torch.ScalarType.Float32).SelectMany(e => Values(e.Value))];

    private static float[] Values(TorchSharp.torch.Tensor tensor)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return tensor.detach().data<float>().ToArray();
    }

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
    }
}
