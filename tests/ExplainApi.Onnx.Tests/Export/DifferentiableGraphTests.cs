using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Tests.Export;

/// <summary>The reverse-mode machinery itself, without libtorch (layer parity against autograd is in ExplainApi.Torch.Tests/Export).</summary>
public sealed class DifferentiableGraphTests
{
    [Fact]
    public void The_gradient_of_an_unrelated_tensor_is_zero_and_a_chain_multiplies_the_local_derivatives()
    {
        var graph = new DifferentiableGraph("g");
        var a = graph.Input("a", 4);
        var b = graph.Input("b", 4);
        var y = graph.Sigmoid(graph.Tanh(a));
        var seed = graph.Input("seed", 4);
        var gradients = graph.EmitBackward(y, seed, [a, b]);
        graph.Output(gradients[0], "grad_a");
        graph.Output(gradients[1], "grad_b");
        float[] x = [-1.5f, -0.2f, 0.3f, 2f], s = [1f, -2f, 0.5f, 3f];

        using var session = new OnnxSessionFactory().Create(graph.Builder.ToBytes(), AcceleratorPreference.Cpu);
        using var va = OrtValue.CreateTensorValueFromMemory(x, [1, 4]);
        using var vb = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 4]);
        using var vs = OrtValue.CreateTensorValueFromMemory(s, [1, 4]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, ["a", "b", "seed"], [va, vb, vs], ["grad_a", "grad_b"]);

        var gradA = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        for (var i = 0; i < 4; i++)
        {
            var t = Math.Tanh(x[i]);
            var sigma = 1 / (1 + Math.Exp(-t));
            Assert.Equal(s[i] * sigma * (1 - sigma) * (1 - t * t), gradA[i], 1e-6);
        }
        Assert.All(outputs[1].GetTensorDataAsSpan<float>().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Only_ops_between_the_requested_tensors_and_the_output_get_backward_nodes()
    {
        var graph = new DifferentiableGraph("g");
        var x = graph.Input("x", 3);
        var hidden = graph.Tanh(x);
        var y = graph.Relu(hidden);
        graph.EmitBackward(y, graph.Input("seed", 3), [hidden]);

        var nodes = ModelProto.Parser.ParseFrom(graph.Builder.ToBytes()).Graph.Node.Select(n => n.OpType).ToList();

        Assert.Equal(["Tanh", "Relu", "Greater", "Where"], nodes); // Relu's mask; nothing for Tanh, which lies before `hidden`
    }

    [Fact]
    public void Shapes_are_tracked_and_mismatches_are_refused_before_ONNX_Runtime_sees_them()
    {
        var graph = new DifferentiableGraph("g");
        var x = graph.Input("x", 2, 7, 5);
        var pooled = graph.MaxPool(x, ConvolutionGeometry.Symmetric([3, 3], [2, 2], [1, 1]));
        Assert.Equal([2L, 4, 3], graph.ShapeOf(pooled));
        var conv = graph.Conv("c", x, new float[3 * 2 * 3 * 3], [3, 2, 3, 3], [], ConvolutionGeometry.Symmetric([3, 3], [2, 2], [0, 0]));
        Assert.Equal([3L, 3, 2], graph.ShapeOf(conv));

        Assert.Throws<ArgumentException>(() => graph.Add(x, pooled));
        Assert.Throws<ArgumentException>(() => graph.Concat([x, pooled]));
        Assert.Throws<ArgumentException>(() => graph.Conv("d", x, new float[3 * 4 * 9], [3, 4, 3, 3], [], ConvolutionGeometry.Symmetric([3, 3], [1, 1], [1, 1])));
        Assert.Throws<ArgumentException>(() => graph.EmitBackward(conv, x, [x]));
    }

    [Fact]
    public void Pruning_to_the_forward_outputs_drops_the_backward_nodes_and_the_inputs_only_they_read()
    {
        var graph = new DifferentiableGraph("g");
        var x = graph.Input("x", 3);
        var y = graph.Tanh(x, "y");
        var gradient = graph.EmitBackward(y, graph.Input("seed", 3), [x])[0];
        graph.Output(y, "y");
        graph.Output(gradient, "grad_x");

        var pruned = ModelProto.Parser.ParseFrom(OnnxGraphPruner.Prune(graph.Builder.ToBytes(), ["y"])).Graph;

        Assert.Equal(["Tanh"], pruned.Node.Select(n => n.OpType));
        Assert.Equal(["x"], pruned.Input.Select(i => i.Name));
        Assert.Equal(["y"], pruned.Output.Select(o => o.Name));
        Assert.Empty(pruned.Initializer);
        Assert.Throws<ArgumentException>(() => OnnxGraphPruner.Prune(graph.Builder.ToBytes(), ["nope"]));
    }
}
