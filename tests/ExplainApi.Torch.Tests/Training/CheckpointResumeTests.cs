using System.Text.Json.Nodes;
using ExplainApi.Torch.Training;

namespace ExplainApi.Torch.Tests.Training;

public sealed class CheckpointResumeTests : IDisposable
{
    // 48 samples → 38 train → 5 steps of 8 per epoch, 15 in all.
    private static readonly JsonObject Options = new() { ["epochs"] = 3, ["batchSize"] = 8, ["learningRate"] = 0.05, ["seed"] = 3 };

    private readonly LogisticRegressionTrainer trainer = new();
    private readonly ToyBrightnessDataset dataset = new(count: 48);
    private readonly TrainingTestRun interrupted = new();
    private readonly TrainingTestRun uninterrupted = new();

    [Theory]
    [InlineData(7)]  // mid-epoch, after a periodic checkpoint at 4
    [InlineData(10)] // at an epoch boundary, right after validation
    public async Task A_run_cancelled_after_N_steps_resumes_from_its_checkpoint_and_ends_with_the_uninterrupted_weights(int cancelAfter)
    {
        using var cancel = new CancellationTokenSource();
        var first = interrupted.Create(dataset, Options, checkpointEverySteps: 4, onReport: p =>
        {
            if (p.Step == cancelAfter)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(first, cancel.Token));
        Assert.True(File.Exists(Path.Combine(interrupted.Work, TrainingCheckpoint.FileName)));
        Assert.Equal(cancelAfter, interrupted.Reports.Max(r => r.Step));
        interrupted.Reports.Clear();

        var resumed = await trainer.TrainAsync(interrupted.Create(dataset, Options, checkpointEverySteps: 4), CancellationToken.None);
        var reference = await trainer.TrainAsync(uninterrupted.Create(dataset, Options, checkpointEverySteps: 4), CancellationToken.None);

        var firstReport = interrupted.Reports[0];
        Assert.True(firstReport.ResumedFromCheckpoint);
        Assert.Equal(cancelAfter + 1, firstReport.Step);
        Assert.Equal(cancelAfter / 5 + 1, firstReport.Epoch);
        Assert.Single(interrupted.Reports, r => r.ResumedFromCheckpoint);
        Assert.Equal(15, interrupted.Reports.Max(r => r.Step));
        // Validation metrics survive the checkpoint (libtorch's float sums may differ in the last bit between runs).
        var expected = uninterrupted.Reports.Single(r => r.Step == cancelAfter + 1 && r.Phase == "training").Metrics;
        Assert.Equal(expected["accuracy"], firstReport.Metrics["accuracy"]);
        Assert.Equal(expected["loss"], firstReport.Metrics["loss"], 1e-6);
        Assert.Equal(reference.Metrics["validationAccuracy"], resumed.Metrics["validationAccuracy"]);
        Assert.Equal(reference.Metrics["validationLoss"], resumed.Metrics["validationLoss"], 1e-6);

        var a = Weights(interrupted.Output);
        var b = Weights(uninterrupted.Output);
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 1e-6);
    }

    [Fact]
    public void A_garbage_checkpoint_is_refused_with_our_exception()
    {
        File.WriteAllText(Path.Combine(interrupted.Work, TrainingCheckpoint.FileName), "not a checkpoint");

        var ex = Assert.Throws<TrainingCheckpointException>(() => trainer.Train(interrupted.Create(dataset, Options), CancellationToken.None));

        Assert.Contains("checkpoint.bin in the job's work directory is corrupted", ex.Message);
        Assert.Contains("Delete it", ex.Message);
    }

    [Fact]
    public void A_checkpoint_with_a_flipped_byte_fails_its_CRC()
    {
        CancelAfterSteps(2);
        var path = Path.Combine(interrupted.Work, TrainingCheckpoint.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<TrainingCheckpointException>(() => trainer.Train(interrupted.Create(dataset, Options), CancellationToken.None));

        Assert.Contains("CRC-32", ex.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused()
    {
        CancelAfterSteps(2);
        var path = Path.Combine(interrupted.Work, TrainingCheckpoint.FileName);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);

        var ex = Assert.Throws<TrainingCheckpointException>(() => trainer.Train(interrupted.Create(dataset, Options), CancellationToken.None));

        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void A_checkpoint_written_with_other_options_is_refused()
    {
        CancelAfterSteps(2);
        var other = new JsonObject { ["epochs"] = 4, ["batchSize"] = 8, ["learningRate"] = 0.05, ["seed"] = 3 };

        var ex = Assert.Throws<TrainingCheckpointException>(() => trainer.Train(interrupted.Create(dataset, other), CancellationToken.None));

        Assert.Contains("another configuration", ex.Message);
    }

    [Fact]
    public void The_checkpoint_file_is_replaced_atomically_leaving_no_temporary_file()
    {
        CancelAfterSteps(6);

        Assert.Equal([TrainingCheckpoint.FileName], Directory.GetFiles(interrupted.Work).Select(Path.GetFileName));
        var checkpoint = TrainingCheckpoint.Load(interrupted.Work)!;
        Assert.Equal((6L, 1), (checkpoint.Step, checkpoint.Epoch));
        Assert.Equal(["fc.weight", "fc.bias"], checkpoint.Tensors.Select(t => t.Name));
    }

    private void CancelAfterSteps(int steps)
    {
        using var cancel = new CancellationTokenSource();
        var run = interrupted.Create(dataset, Options, checkpointEverySteps: 4, onReport: p =>
        {
            if (p.Step == steps)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(run, cancel.Token));
    }

    private static float[] Weights(string output)
    {
        using var model = new LogisticRegressionModel(1, 8, 8, 2);
        model.load(Path.Combine(output, "weights.bin"));
        return [.. Values(model.Fc.weight!), .. Values(model.Fc.bias!)];
    }

    private static float[] Values(TorchSharp.torch.Tensor tensor)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return tensor.detach().data<float>().ToArray();
    }

    public void Dispose()
    {
        interrupted.Dispose();
        uninterrupted.Dispose();
    }
}
