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
        using var target = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(-1L, batch).ToArray(), [batch]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, [ResNetOnnx.Input, ResNetOnnx.Target], [input, target], [ResNetOnnx.Logits, ResNetOnnx.Probabilities, ResNetOnnx.Activations]);

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

    [Theory]
    [InlineData(1, 32, 2, new long[] { 1 })]
    [InlineData(1, 32, 2, new long[] { -1 })]
    [InlineData(1, 32, 2, new long[] { 2, -1, 0 })]
    [InlineData(3, 64, 3, new long[] { -1, -1, -1 })]
    [InlineData(3, 64, 3, new long[] { 0, 2, 1 })]
    public void ONNX_Runtime_gradients_of_the_target_logit_match_TorchSharp_autograd(int channels, int side, int depth, long[] targets)
    {
        using var model = TrainedStatisticsModel(channels, side, depth, seed: 30 + depth);
        var batch = targets.Length;
        long[] shape = [batch, channels, side, side];
        var x = RandomValues(seed: 40 + batch, shape);
        float[] expectedLogits, expectedActivations, expectedGradActivations, expectedGradInput;
        long[] expectedClasses, activationShape;
        using (NewDisposeScope())
        {
            var input = tensor(x, shape).requires_grad_(true);
            var (activations, logits) = model.ForwardWithActivations(input);
            var requested = tensor(targets);
            var classes = where(requested.lt(0), logits.argmax(1), requested);
            var selected = logits.gather(1, classes.unsqueeze(1)).sum(); // Σ_n y_{n,c_n}
            var gradients = autograd.grad([selected], [activations, input]);
            (expectedLogits, expectedActivations, activationShape) = (Values(logits), Values(activations), activations.shape);
            (expectedGradActivations, expectedGradInput, expectedClasses) = (Values(gradients[0]), Values(gradients[1]), classes.data<long>().ToArray());
        }

        var outputs = Export.OnnxRun.Run(ResNetOnnx.Export(model), new Dictionary<string, (float[], long[])> { [ResNetOnnx.Input] = (x, shape) },
            new Dictionary<string, long[]> { [ResNetOnnx.Target] = targets },
            ResNetOnnx.Logits, ResNetOnnx.Activations, ResNetOnnx.TargetClass, ResNetOnnx.GradActivations, ResNetOnnx.GradInput);

        Assert.Equal(expectedClasses, outputs[ResNetOnnx.TargetClass].Int64s);
        Export.OnnxRun.AssertClose(ResNetOnnx.Logits, expectedLogits, outputs[ResNetOnnx.Logits], [batch, 3], output);
        Export.OnnxRun.AssertClose(ResNetOnnx.Activations, expectedActivations, outputs[ResNetOnnx.Activations], activationShape, output);
        Export.OnnxRun.AssertClose(ResNetOnnx.GradActivations, expectedGradActivations, outputs[ResNetOnnx.GradActivations], activationShape, output);
        Export.OnnxRun.AssertClose(ResNetOnnx.GradInput, expectedGradInput, outputs[ResNetOnnx.GradInput], shape, output);
    }

    [Fact]
    public void The_graph_has_no_BatchNorm_takes_its_conv_attributes_from_the_modules_and_leaves_no_live_tensors()
    {
        using var model = TrainedStatisticsModel(channels: 1, side: 32, depth: 2, seed: 3);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var onnx = ModelProto.Parser.ParseFrom(ResNetOnnx.Export(model));
        var graph = onnx.Graph;

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Equal((17L, 8L), (onnx.OpsetImport.Single().Version, onnx.IrVersion));
        Assert.Equal(new Dictionary<string, string> { ["target_layer"] = "layer2", ["head"] = "gap-linear", ["head_weight"] = "fc.weight", ["head_bias"] = "fc.bias" },
            onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
        Assert.Contains(graph.Initializer, i => i.Name == "fc.weight" && i.Dims.SequenceEqual([3L, 16L]));
        Assert.Contains(graph.Initializer, i => i.Name == "fc.bias");
        Assert.Equal([ResNetOnnx.Input, ResNetOnnx.Target], graph.Input.Select(i => i.Name));
        Assert.Equal([ResNetOnnx.Logits, ResNetOnnx.Probabilities, ResNetOnnx.Activations, ResNetOnnx.TargetClass, ResNetOnnx.GradActivations, ResNetOnnx.GradInput],
            graph.Output.Select(o => o.Name));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, graph.Input[1].Type.TensorType.ElemType);
        Assert.Equal((int)TensorProto.Types.DataType.Int64, graph.Output[3].Type.TensorType.ElemType);
        Assert.Equal([OnnxGraphBuilder.BatchDimension, "16", "16", "16"], graph.Output[2].Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // stem 1 + stage 1: 2 blocks × 2 + stage 2: 2 blocks × 2 + downsample 1
        var convs = graph.Node.Where(n => n.OpType == "Conv" && n.Input[1].EndsWith(".weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, convs.Count);
        // The backward of every conv, down to the input: a Conv with the flipped kernel for the 8 stride-1 convs, a
        // ConvTranspose for the 2 strided ones (then an identity depthwise Conv); each ReLU's mask is a depthwise Conv + Clip.
        Assert.Equal(8, graph.Node.Count(n => n.OpType == "Conv" && n.Input[1].EndsWith(".weight.flipped", StringComparison.Ordinal)));
        Assert.Equal(["layer2.0.conv1.weight", "layer2.0.downsample.weight"], graph.Node.Where(n => n.OpType == "ConvTranspose").Select(n => n.Input[1]).Order());
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Where" && n.Output[0] != ResNetOnnx.TargetClass);
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Greater");
        Assert.Equal(graph.Node.Count(n => n.OpType == "Relu"), graph.Node.Count(n => n.OpType == "Clip"));
        var strided = convs.Single(n => n.Input[1] == "layer2.0.conv1.weight");
        Assert.Equal([2L, 2L], strided.Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([1L, 1L, 1L, 1L], strided.Attribute.Single(a => a.Name == "pads").Ints);
        var shortcut = convs.Single(n => n.Input[1] == "layer2.0.downsample.weight");
        Assert.Equal([1L, 1L], shortcut.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal([0L, 0L, 0L, 0L], shortcut.Attribute.Single(a => a.Name == "pads").Ints);
    }

    [Fact]
    public void The_forward_graph_pruned_from_the_export_needs_no_target_and_gives_the_same_logits()
    {
        using var model = TrainedStatisticsModel(channels: 1, side: 32, depth: 2, seed: 4);
        var full = ResNetOnnx.Export(model);
        long[] shape = [3, 1, 32, 32];
        var x = RandomValues(seed: 5, shape);

        var forward = OnnxGraphPruner.Prune(full, [ResNetOnnx.Logits, ResNetOnnx.Probabilities, ResNetOnnx.Activations]);

        var graph = ModelProto.Parser.ParseFrom(forward).Graph;
        Assert.Equal([ResNetOnnx.Input], graph.Input.Select(i => i.Name));
        Assert.DoesNotContain(graph.Node, n => n.OpType is "ConvTranspose" or "OneHot");
        Assert.DoesNotContain(graph.Initializer, i => i.Name.StartsWith("target", StringComparison.Ordinal) || i.Name.StartsWith("const", StringComparison.Ordinal));
        var inputs = new Dictionary<string, (float[], long[])> { [ResNetOnnx.Input] = (x, shape) };
        var expected = Export.OnnxRun.Run(full, inputs, new Dictionary<string, long[]> { [ResNetOnnx.Target] = [-1, -1, -1] }, ResNetOnnx.Logits)[ResNetOnnx.Logits];
        var actual = Export.OnnxRun.Run(forward, inputs, null, ResNetOnnx.Logits)[ResNetOnnx.Logits];
        Assert.Equal(expected.Floats, actual.Floats);
        Assert.Equal(ModelProto.Parser.ParseFrom(full).MetadataProps, ModelProto.Parser.ParseFrom(forward).MetadataProps);
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
