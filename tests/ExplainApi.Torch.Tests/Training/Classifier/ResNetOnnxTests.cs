using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Classifier;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class ResNetOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 32, 2, 1)]
    [InlineData(1, 32, 2, 5)]
    [InlineData(3, 64, 3, 1)]
    [InlineData(3, 64, 3, 5)]
    public void ONNX_Runtime_reproduces_the_eval_mode_logits_probabilities_and_target_layer_activations(int channels, int side, int depth, int batch)
    {
        using var model = TrainedStatisticsModel(channels, side, depth, seed: 10 + depth);
        var x = RandomValues(seed: 20 + batch, batch, channels, side, side);
        float[] expectedActivations, expectedLogits, expectedProbabilities;
        long[] activationShape;
        using (no_grad())
        using (NewDisposeScope())
        {
            var (activations, logits) = model.ForwardWithActivations(tensor(x, [batch, channels, side, side]));
            (activationShape, expectedActivations) = (activations.shape, Values(activations));
            (expectedLogits, expectedProbabilities) = (Values(logits), Values(logits.softmax(1)));
        }

        using var session = new OnnxSessionFactory().Create(ResNetOnnx.Export(model), AcceleratorPreference.Cpu);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, channels, side, side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, [ResNetOnnx.Input], [input], [ResNetOnnx.Logits, ResNetOnnx.Probabilities, ResNetOnnx.Activations]);

        Assert.Equal([batch, 3L], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(activationShape, outputs[2].GetTensorTypeAndShape().Shape);
        var logitsError = MaxAbsDifference(expectedLogits, outputs[0]);
        var probabilitiesError = MaxAbsDifference(expectedProbabilities, outputs[1]);
        var activationsError = MaxAbsDifference(expectedActivations, outputs[2]);
        output.WriteLine($"max-abs: logits {logitsError:E2}, probabilities {probabilitiesError:E2}, activations {activationsError:E2} (|activations| ≤ {expectedActivations.Max(Math.Abs):F2})");
        Assert.True(logitsError <= 1e-4, $"logits max-abs {logitsError}");
        Assert.True(probabilitiesError <= 1e-4, $"probabilities max-abs {probabilitiesError}");
        Assert.True(activationsError <= 1e-4, $"activations max-abs {activationsError}");
    }

    [Fact]
    public void The_graph_has_no_BatchNorm_takes_its_conv_attributes_from_the_modules_and_leaves_no_live_tensors()
    {
        using var model = TrainedStatisticsModel(channels: 1, side: 32, depth: 2, seed: 3);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var graph = ModelProto.Parser.ParseFrom(ResNetOnnx.Export(model)).Graph;

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Equal([ResNetOnnx.Logits, ResNetOnnx.Probabilities, ResNetOnnx.Activations], graph.Output.Select(o => o.Name));
        Assert.Equal([OnnxGraphBuilder.BatchDimension, "16", "16", "16"], graph.Output[2].Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // stem 1 + stage 1: 2 blocks × 2 + stage 2: 2 blocks × 2 + downsample 1
        var convs = graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(10, convs.Count);
        var strided = convs.Single(n => n.Input[1] == "layer2.0.conv1.weight");
        Assert.Equal([2L, 2L], strided.Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([1L, 1L, 1L, 1L], strided.Attribute.Single(a => a.Name == "pads").Ints);
        var shortcut = convs.Single(n => n.Input[1] == "layer2.0.downsample.weight");
        Assert.Equal([1L, 1L], shortcut.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal([0L, 0L, 0L, 0L], shortcut.Attribute.Single(a => a.Name == "pads").Ints);
    }

    /// <summary>A seeded model whose BatchNorm layers have γ ≠ 1, β ≠ 0 and running statistics from a few train-mode passes.</summary>
    private static ResNetClassifier TrainedStatisticsModel(int channels, int side, int depth, long seed)
    {
        var model = new ResNetClassifier(channels, side, side, classes: 3, baseWidth: 8, depth: depth);
        model.InitializeWeights(seed);
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        using (NewDisposeScope())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1.", StringComparison.Ordinal)))
            {
                var isScale = name.EndsWith(".weight", StringComparison.Ordinal);
                parameter.copy_(rand(parameter.shape, generator: generator).mul_(isScale ? 1 : 0.4).add_(isScale ? 0.5 : -0.2)); // γ ∈ [0.5, 1.5), β ∈ [−0.2, 0.2)
            }
            model.train();
            for (var pass = 0; pass < 4; pass++)
            {
                model.call(randn([8, channels, side, side], generator: generator).mul_(1.5).add_(0.3));
            }
        }
        model.eval();
        return model;
    }

    private static float[] RandomValues(long seed, params long[] shape)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var scope = NewDisposeScope();
        return Values(randn(shape, generator: generator));
    }

    private static float[] Values(Tensor tensor) => tensor.contiguous().data<float>().ToArray();

    private static double MaxAbsDifference(float[] expected, OrtValue actual)
    {
        var values = actual.GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        return expected.Zip(values).Max(p => Math.Abs(p.First - (double)p.Second));
    }
}
