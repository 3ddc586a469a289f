using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Classifier;

/// <summary>The stride-2 stem (shapes, ONNX parity, resume) and the held-out test split of the classifier.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class StemStrideAndTestSplitTests : IDisposable
{
    private readonly TrainingTestRun first = new();
    private readonly TrainingTestRun second = new();

    [Theory]
    [InlineData(1, 32, 3)]
    [InlineData(3, 64, 2)]
    public void A_stride_2_stem_halves_the_target_layer_and_ONNX_Runtime_reproduces_the_model(int channels, int side, int depth)
    {
        using var model = new ResNetClassifier(channels, side, side, classes: 2, baseWidth: 8, depth: depth, stemStride: 2);
        model.InitializeWeights(7);
        model.eval();
        var x = new float[2 * channels * side * side];
        var random = new SplitMix64(3);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextInt(2001) - 1000) / 1000.0);
        }

        float[] expected;
        using (no_grad())
        using (NewDisposeScope())
        {
            var (activations, logits) = model.ForwardWithActivations(tensor(x, [2, channels, side, side]));
            var reduced = side / 2 >> (depth - 1);
            Assert.Equal([2L, 8L << (depth - 1), reduced, reduced], activations.shape);
            expected = logits.data<float>().ToArray();
        }

        var actual = Export.OnnxRun.Run(ResNetOnnx.Export(model),
            new Dictionary<string, (float[], long[])> { [ClassifierOnnxContract.Input] = (x, [2, channels, side, side]) },
            new Dictionary<string, long[]> { [ClassifierOnnxContract.Target] = [-1, -1] }, ClassifierOnnxContract.Logits)[ClassifierOnnxContract.Logits].Floats;
        Assert.True(expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
    }

    [Theory]
    [InlineData(32)] // even: the stride-2 stem's backward needs output padding 1
    [InlineData(33)] // odd: none
    public void The_exported_gradients_through_a_stride_2_stem_match_libtorch_autograd(int side)
    {
        var network = new ResNetClassifier(1, side, side, classes: 2, baseWidth: 8, depth: 2, stemStride: 2);
        network.InitializeWeights(9);
        network.eval();
        var onnx = ResNetOnnx.Export(network);
        using var model = new Explaining.TorchExplainableModel(network);
        var x = Export.OnnxRun.RandomValues(4, 2, 1, side, side);

        var expected = model.Gradients(x, 2, [1, -1]);
        var actual = Export.OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])> { [ClassifierOnnxContract.Input] = (x, [2, 1, side, side]) },
            new Dictionary<string, long[]> { [ClassifierOnnxContract.Target] = [1, -1] },
            ClassifierOnnxContract.GradInput, ClassifierOnnxContract.GradActivations, ClassifierOnnxContract.TargetClass);

        Assert.Equal(expected.Targets.Select(t => (long)t), actual[ClassifierOnnxContract.TargetClass].Int64s);
        Assert.True(expected.InputGradients.Zip(actual[ClassifierOnnxContract.GradInput].Floats).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        Assert.True(expected.ActivationGradients!.Zip(actual[ClassifierOnnxContract.GradActivations].Floats).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        Assert.Contains(expected.InputGradients, g => Math.Abs(g) > 1e-6);
    }

    [Fact]
    public void Stem_strides_other_than_1_and_2_and_inputs_too_small_for_the_stem_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNetClassifier(1, 32, 32, 2, stemStride: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNetClassifier(1, 16, 16, 2, depth: 5, stemStride: 2));
    }

    [Fact]
    public void The_fingerprint_of_default_options_is_the_one_older_checkpoints_carry()
    {
        var defaults = ClassifierOptions.From(null);
        Assert.Equal("epochs=8 batch=32 lr=0.001 wd=0.0001 width=16 depth=3 aug=False patience=3 seed=1 val=0.2", defaults.Fingerprint());
        Assert.EndsWith(" stem=2 test=0.2", (defaults with { StemStride = 2, TestFraction = 0.2 }).Fingerprint(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_fraction_holds_out_the_standard_test_split_and_reports_its_metrics()
    {
        var dataset = new CentreSquareDataset(50, side: 16);
        var options = ClassifierOptions.From(new JsonObject { ["testFraction"] = 0.2, ["seed"] = 1 });

        var (split, test) = ClassifierTraining.Split(dataset, options);

        var standard = DatasetSplits.Standard(dataset, 1);
        Assert.Equal(standard.Test, test);
        Assert.Equal(standard.Train, split.Train);
        Assert.Equal(standard.Validation, split.Validation);
        Assert.Empty(test.Intersect(split.Train.Concat(split.Validation)));

        var (model, result) = ClassifierTraining.Train(first.Create(dataset,
            new JsonObject { ["epochs"] = 1, ["batchSize"] = 8, ["width"] = 8, ["depth"] = 1, ["stemStride"] = 2, ["testFraction"] = 0.2 }), CancellationToken.None);
        using var _ = model;
        Assert.NotNull(result.Test);
        Assert.InRange(result.Test.Accuracy, 0, 1);
    }

    [Fact]
    public void A_run_with_a_stride_2_stem_and_a_test_split_resumes_from_its_checkpoint_as_the_uninterrupted_one()
    {
        var options = new JsonObject { ["epochs"] = 2, ["batchSize"] = 8, ["width"] = 8, ["depth"] = 2, ["stemStride"] = 2, ["testFraction"] = 0.2, ["seed"] = 4 };
        var dataset = new CentreSquareDataset(50, side: 16); // 32 train → 4 steps per epoch
        using var cancel = new CancellationTokenSource();
        var interrupted = first.Create(dataset, options, checkpointEverySteps: 2, onReport: p =>
        {
            if (p.Step == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => ClassifierTraining.Train(interrupted, cancel.Token));

        var (resumed, resumedResult) = ClassifierTraining.Train(first.Create(dataset, options, checkpointEverySteps: 2), CancellationToken.None);
        var (reference, referenceResult) = ClassifierTraining.Train(second.Create(dataset, options, checkpointEverySteps: 2), CancellationToken.None);
        using (resumed)
        using (reference)
        {
            Assert.Single(first.Reports, r => r.ResumedFromCheckpoint);
            Assert.Equal(referenceResult.Validation.Loss, resumedResult.Validation.Loss, 1e-4);
            Assert.Equal(referenceResult.Test!.Loss, resumedResult.Test!.Loss, 1e-4);
        }
    }

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
    }
}
