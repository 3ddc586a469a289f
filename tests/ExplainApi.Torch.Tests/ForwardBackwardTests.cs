using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests;

public sealed class ForwardBackwardTests
{
    private const int Batch = 2;

    [Fact]
    public void Forward_and_gradients_match_an_independent_plain_CSharp_computation()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(20240611);
        using var model = new TinyConvNet();
        model.to(ScalarType.Float64);
        var input = randn(Batch, 1, 4, 4, dtype: ScalarType.Float64);

        var output = model.call(input);
        (output.square().sum() / 2).backward();

        var reference = new ReferenceNet(
            Values(model.Conv.weight!), Values(model.Conv.bias!), Values(model.Fc.weight!), Values(model.Fc.bias!));
        var x = Values(input);
        AssertClose(reference.Forward(x, Batch), Values(output), 1e-12);
        AssertClose(reference.NumericGradient(reference.ConvWeight, x, Batch), Values(model.Conv.weight!.grad!), 1e-7);
        AssertClose(reference.NumericGradient(reference.ConvBias, x, Batch), Values(model.Conv.bias!.grad!), 1e-7);
        AssertClose(reference.NumericGradient(reference.FcWeight, x, Batch), Values(model.Fc.weight!.grad!), 1e-7);
        AssertClose(reference.NumericGradient(reference.FcBias, x, Batch), Values(model.Fc.bias!.grad!), 1e-7);
    }

    private static double[] Values(Tensor tensor) => tensor.detach().cpu().data<double>().ToArray();

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
