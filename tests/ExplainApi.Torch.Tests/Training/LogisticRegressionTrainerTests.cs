using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Onnx;
using ExplainApi.Torch.Training;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training;

public sealed class LogisticRegressionTrainerTests : IDisposable
{
    private static readonly JsonObject Quick = new() { ["epochs"] = 10, ["batchSize"] = 8, ["learningRate"] = 0.1 };

    private readonly LogisticRegressionTrainer trainer = new();
    private readonly TrainingTestRun dirs = new();

    [Fact]
    public async Task Training_the_toy_set_reaches_95_percent_validation_accuracy_and_writes_both_files()
    {
        var dataset = new ToyBrightnessDataset();

        var model = await trainer.TrainAsync(dirs.Create(dataset, Quick), CancellationToken.None);

        Assert.True(model.Metrics["validationAccuracy"] >= 0.95, $"accuracy {model.Metrics["validationAccuracy"]}");
        Assert.True(model.Metrics["validationLoss"] < 0.5, $"loss {model.Metrics["validationLoss"]}");
        Assert.Equal(("model.onnx", "weights.bin", Core.Models.ModelTask.Classification), (model.Graphs[0].File, model.OtherFiles[0], model.Task));
        Assert.True(File.Exists(Path.Combine(dirs.Output, model.Graphs[0].File)));
        Assert.True(File.Exists(Path.Combine(dirs.Output, model.OtherFiles[0])));
        Assert.Equal(new Core.Models.ModelInputSpec(1, 8, 8, InputNormalization.MinMaxSymmetric, false), model.Input);
        Assert.Equal(["dark", "bright"], model.Classification!.ClassNames);
        Assert.Empty(model.Classification!.TargetLayers);
    }

    [Fact]
    public void Progress_is_reported_every_step_with_the_latest_validation_and_after_every_epoch()
    {
        var dataset = new ToyBrightnessDataset(count: 40); // 32 train → 4 steps of 8 per epoch
        var options = new JsonObject { ["epochs"] = 2, ["batchSize"] = 8 };

        trainer.Train(dirs.Create(dataset, options), CancellationToken.None);

        var training = dirs.Reports.Where(r => r.Phase == "training").ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), training.Select(r => r.Step));
        Assert.All(dirs.Reports, r => Assert.Equal((2, 8L), (r.TotalEpochs, r.TotalSteps)));
        Assert.All(training, r => Assert.True(double.IsFinite(r.Losses["train"])));
        Assert.Empty(training[3].Metrics); // before the first validation
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2], training.Select(r => r.Epoch));
        var validating = dirs.Reports.Where(r => r.Phase == "validating").ToList();
        Assert.Equal([(1, 4L), (2, 8L)], validating.Select(r => (r.Epoch, r.Step)));
        Assert.Equal(validating[0].Metrics, training[4].Metrics);
        Assert.Equal(["accuracy", "loss"], validating[0].Metrics.Keys.Order());
        Assert.DoesNotContain(dirs.Reports, r => r.ResumedFromCheckpoint);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void The_exported_onnx_model_matches_the_torch_model_loaded_from_weights_bin(int batch)
    {
        var dataset = new ToyBrightnessDataset(count: 40);
        trainer.Train(dirs.Create(dataset, new JsonObject { ["epochs"] = 2, ["batchSize"] = 8 }), CancellationToken.None);
        var x = Enumerable.Range(0, batch).SelectMany(i => dataset.Get(i).Pixels).ToArray();

        using var torchModel = new LogisticRegressionModel(1, 8, 8, 2);
        torchModel.load(Path.Combine(dirs.Output, "weights.bin"));
        torchModel.eval();
        float[] expectedLogits, expectedProbabilities;
        using (no_grad())
        using (NewDisposeScope())
        {
            var logits = torchModel.call(tensor(x, [batch, 1, 8, 8]));
            expectedLogits = logits.data<float>().ToArray();
            expectedProbabilities = logits.softmax(1).data<float>().ToArray();
        }

        using var session = new OnnxSessionFactory().Create(Path.Combine(dirs.Output, "model.onnx"), AcceleratorPreference.Cpu);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, 1, 8, 8]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, ["input"], [input], ["logits", "probabilities"]);

        Assert.Equal([batch, 2], outputs[0].GetTensorTypeAndShape().Shape);
        AssertClose(expectedLogits, outputs[0].GetTensorDataAsSpan<float>().ToArray());
        AssertClose(expectedProbabilities, outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Training_leaves_no_live_tensors_on_its_thread()
    {
        var dataset = new ToyBrightnessDataset(count: 40);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        trainer.Train(dirs.Create(dataset, new JsonObject { ["epochs"] = 2, ["batchSize"] = 8 }, checkpointEverySteps: 3), CancellationToken.None);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_dataset_with_one_class_or_a_class_of_one_sample_is_refused_with_the_reason()
    {
        Assert.Null(trainer.ValidateDataset(new ToyBrightnessDataset(count: 4)));
        Assert.Contains("at least 2 classes", trainer.ValidateDataset(new ToyBrightnessDataset(count: 1)));
        Assert.Contains("'bright' has 1 sample", trainer.ValidateDataset(new ToyBrightnessDataset(count: 3)));
    }

    [Fact]
    public void The_trainer_describes_itself()
    {
        Assert.Equal("logistic-regression", trainer.Kind);
        Assert.Contains("logistic regression", trainer.Description);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var maxAbs = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxAbs <= 1e-4, $"max-abs difference {maxAbs}");
    }

    public void Dispose() => dirs.Dispose();
}
