using ExplainApi.Torch.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Export;

/// <summary>Ops in combination: fan-out (a tensor read by several ops gets the sum of their gradients), Add and Concat, and a U-Net-like chain.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class CompositionParityTests(ITestOutputHelper output)
{
    [Fact]
    public void A_residual_Add_sums_the_gradients_of_both_branches()
    {
        using var conv = GradientParity.Randomized(nn.Conv2d(3, 3, 3, padding: 1), seed: 1);
        GradientParity.Check(
            x => conv.call(x) + x,
            (graph, x) => graph.Add(TorchLayers.Add(graph, "conv", conv, x), x),
            [3, 6, 7], seed: 2, output);
    }

    [Fact]
    public void Concat_routes_each_slice_of_the_gradient_to_its_input_and_the_same_tensor_twice_gets_both()
    {
        GradientParity.Check(
            x => cat([nn.functional.relu(x), x.tanh(), x], 1),
            (graph, x) => graph.Concat([graph.Relu(x), graph.Tanh(x), x]),
            [2, 5, 4], seed: 3, output);
    }

    [Fact]
    public void Adding_a_tensor_to_itself_doubles_its_gradient()
    {
        GradientParity.Check(x => x.sigmoid() + x.sigmoid(), (graph, x) => { var s = graph.Sigmoid(x); return graph.Add(s, s); }, [2, 3, 3], seed: 4, output);
    }

    /// <summary>conv → instance norm → LeakyReLU → max-pool → conv → ReLU → bilinear ×2 → concat with the skip → 1×1 conv + residual → transposed conv → tanh.</summary>
    [Fact]
    public void A_U_Net_like_chain_of_every_layer_family_matches()
    {
        using var encoder = GradientParity.Randomized(nn.Conv2d(2, 4, 3, padding: 1), seed: 5);
        using var norm = GradientParity.Randomized(nn.InstanceNorm2d(4, affine: true), seed: 6);
        using var leaky = nn.LeakyReLU(0.2);
        using var pool = nn.MaxPool2d(2);
        using var bottom = GradientParity.Randomized(nn.Conv2d(4, 6, 3, padding: 1), seed: 7);
        using var up = nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Bilinear, align_corners: false);
        using var mix = GradientParity.Randomized(nn.Conv2d(10, 10, 1), seed: 8);
        using var decoder = GradientParity.Randomized(nn.ConvTranspose2d(10, 3, 3, stride: 2, padding: 1, output_padding: 1), seed: 9);

        GradientParity.Check(
            x =>
            {
                var skip = leaky.call(norm.call(encoder.call(x)));
                var deep = up.call(nn.functional.relu(bottom.call(pool.call(skip))));
                var joined = cat([skip, deep], 1);
                return decoder.call(mix.call(joined) + joined).tanh();
            },
            (graph, x) =>
            {
                var skip = TorchLayers.Add(graph, "leaky", leaky, TorchLayers.Add(graph, "norm", norm, TorchLayers.Add(graph, "encoder", encoder, x)));
                var deep = TorchLayers.Add(graph, "up", up, graph.Relu(TorchLayers.Add(graph, "bottom", bottom, TorchLayers.Add(graph, "pool", pool, skip))));
                var joined = graph.Concat([skip, deep]);
                return graph.Tanh(TorchLayers.Add(graph, "decoder", decoder, graph.Add(TorchLayers.Add(graph, "mix", mix, joined), joined)));
            },
            [2, 12, 10], seed: 10, output);
    }

    [Fact]
    public void Exporting_layers_leaves_no_live_tensors_and_names_weights_after_the_modules()
    {
        using var block = GradientParity.Randomized(nn.Sequential(
            ("conv", nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Reflect)), ("bn", nn.BatchNorm2d(3)), ("act", nn.LeakyReLU(0.2)),
            ("up", nn.ConvTranspose2d(3, 2, 4, stride: 2, padding: 1)), ("norm", nn.InstanceNorm2d(2))), seed: 11);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var graph = new ExplainApi.Onnx.Export.DifferentiableGraph("g");
        var y = TorchLayers.Add(graph, "block", block, graph.Input("input", 2, 6, 5));
        graph.EmitBackward(y, graph.Input("grad_output", [.. graph.ShapeOf(y)]), ["input"]);
        var onnx = ExplainApi.Onnx.Proto.ModelProto.Parser.ParseFrom(graph.Builder.ToBytes()).Graph;

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal([2L, 12, 10], graph.ShapeOf(y));
        Assert.Contains(onnx.Initializer, i => i.Name == "block.conv.weight"); // the BatchNorm is folded into it
        Assert.DoesNotContain(onnx.Initializer, i => i.Name.StartsWith("block.bn", StringComparison.Ordinal));
        Assert.Contains(onnx.Initializer, i => i.Name == "block.up.weight");
        Assert.Equal(["Pad", "Conv", "LeakyRelu", "ConvTranspose", "InstanceNormalization"], onnx.Node.Take(5).Select(n => n.OpType));
    }
}
