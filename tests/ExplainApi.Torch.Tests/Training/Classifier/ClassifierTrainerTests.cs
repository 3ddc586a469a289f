using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Onnx;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ExplainApi.Torch.Tests.Training.Classifier;

/// <summary>The "classifier" job kind end to end: options, dataset checks, training, weights and an ONNX model that serves.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ClassifierTrainerTests
{
    private readonly ClassifierTrainer _trainer = new();

    [Fact]
    public async Task Trains_on_squares_and_writes_an_onnx_model_with_logits_and_the_target_layers_activations()
    {
        using var run = new TrainingTestRun();
        var dataset = new SquaresDataset(count: 64, size: 16, seed: 4);
        var options = _trainer.ValidateOptions(new JsonObject { ["epochs"] = 2, ["batchSize"] = 16, ["width"] = 8, ["depth"] = 2 });
        Assert.True(options.IsValid, string.Join("; ", options.Errors));

        var trained = await _trainer.TrainAsync(run.Create(dataset, options.Values), CancellationToken.None);

        Assert.Equal(["layer2"], trained.Classification!.TargetLayers);
        Assert.Equal(Core.Models.ModelTask.Classification, trained.Task);
        Assert.Contains("validationAccuracy", trained.Metrics.Keys);
        Assert.Contains(run.Reports, r => r.Phase == "exporting");
        Assert.True(File.Exists(Path.Combine(run.Output, trained.OtherFiles[0])));

        using var session = new OnnxSessionFactory().Create(Path.Combine(run.Output, trained.Graphs[0].File), AcceleratorPreference.Cpu);
        var input = new DenseTensor<float>(dataset.Get(1).Pixels, [1, 1, 16, 16]);
        var target = new DenseTensor<long>(new long[] { -1 }, [1]);
        using var outputs = session.Session.Run([NamedOnnxValue.CreateFromTensor(ResNetOnnx.Input, input), NamedOnnxValue.CreateFromTensor(ResNetOnnx.Target, target)]);
        var logits = outputs.Single(o => o.Name == ResNetOnnx.Logits).AsTensor<float>();
        var activations = outputs.Single(o => o.Name == ResNetOnnx.Activations).AsTensor<float>();
        Assert.Equal([1, 2], logits.Dimensions.ToArray());
        Assert.Equal([1, 16, 8, 8], activations.Dimensions.ToArray());
        Assert.Equal([1, 16, 8, 8], outputs.Single(o => o.Name == ResNetOnnx.GradActivations).AsTensor<float>().Dimensions.ToArray());
        Assert.Equal([1, 1, 16, 16], outputs.Single(o => o.Name == ResNetOnnx.GradInput).AsTensor<float>().Dimensions.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Rejects_datasets_it_cannot_train_on_and_names_bad_options()
    {
        Assert.Null(_trainer.ValidateDataset(new SquaresDataset(count: 8, size: 16)));
        Assert.Contains("16×16", _trainer.ValidateDataset(new TinyDataset(8)), StringComparison.Ordinal);
        Assert.Contains("width", _trainer.ValidateOptions(new JsonObject { ["width"] = 4 }).Errors.Keys);
        Assert.Contains("colour", _trainer.ValidateOptions(new JsonObject { ["colour"] = true }).Errors.Keys);
    }

    /// <summary>Two classes of 8×8 images: too small for the classifier's strided stages.</summary>
    private sealed class TinyDataset(int size) : IDataset
    {
        public string Reference => "test:tiny";
        public IReadOnlyList<string> ClassNames => ["a", "b"];
        public int Channels => 1;
        public int Height => size;
        public int Width => size;
        public int Count => 4;
        public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;
        public bool HasMasks => false;
        public int LabelOf(int index) => index % 2;
        public Sample Get(int index) => new(new float[size * size], index % 2, null);
    }
}
