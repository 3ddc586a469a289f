using ExplainApi.Onnx.Export;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Export;

/// <summary>
/// Exports a function of one input with its backward graph (upstream gradient as the graph input
/// <c>grad_output</c>) and checks ONNX Runtime against TorchSharp: the forward output, and ∂(Σ y ⊙ dy)/∂x against
/// autograd, for random seeded x and dy at batch sizes 1 and 3 of the same graph (dynamic batch).
/// </summary>
internal static class GradientParity
{
    public static void Check(
        Func<Tensor, Tensor> torchForward, Func<DifferentiableGraph, string, string> build, long[] itemShape, long seed, ITestOutputHelper output)
    {
        var graph = new DifferentiableGraph("parity");
        var x = graph.Input("input", itemShape);
        var y = build(graph, x);
        var outShape = graph.ShapeOf(y).ToArray();
        var dy = graph.Input("grad_output", outShape);
        var gradients = graph.EmitBackward(y, dy, [x]);
        graph.Output(y, "output");
        graph.Output(gradients[0], "grad_input");
        var model = graph.Builder.ToBytes();

        foreach (var batch in new long[] { 1, 3 })
        {
            long[] inShape = [batch, .. itemShape], yShape = [batch, .. outShape];
            var xValues = OnnxRun.RandomValues(seed + batch, inShape);
            var dyValues = OnnxRun.RandomValues(seed + 100 + batch, yShape);
            float[] expectedY, expectedGrad;
            using (NewDisposeScope())
            {
                var input = tensor(xValues, inShape).requires_grad_(true);
                var result = torchForward(input);
                Assert.Equal(yShape, result.shape);
                var grad = autograd.grad([result], [input], [tensor(dyValues, yShape)]);
                (expectedY, expectedGrad) = (OnnxRun.Values(result), OnnxRun.Values(grad[0]));
            }

            var outputs = OnnxRun.Run(model, new Dictionary<string, (float[], long[])> { ["input"] = (xValues, inShape), ["grad_output"] = (dyValues, yShape) },
                null, "output", "grad_input");

            OnnxRun.AssertClose($"batch {batch} output", expectedY, outputs["output"], yShape, output);
            OnnxRun.AssertClose($"batch {batch} grad_input", expectedGrad, outputs["grad_input"], inShape, output);
        }
    }

    /// <summary>
    /// Overwrites every parameter with seeded N(0, 0.5²) values (modules draw their defaults from libtorch's global
    /// generator) and gives every BatchNorm non-trivial running statistics; leaves the module in eval mode.
    /// </summary>
    public static T Randomized<T>(T module, long seed) where T : nn.Module
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (_, parameter) in module.named_parameters())
        {
            parameter.copy_(randn(parameter.shape, generator: generator).mul_(0.5));
        }
        foreach (var norm in module.modules().OfType<TorchSharp.Modules.BatchNorm>().Append(module as TorchSharp.Modules.BatchNorm).OfType<TorchSharp.Modules.BatchNorm>())
        {
            norm.running_mean!.copy_(randn(norm.num_features, generator: generator).mul_(0.5));
            norm.running_var!.copy_(rand(norm.num_features, generator: generator).add_(0.3));
        }
        module.eval();
        return module;
    }
}
