using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// PyTorch's default initialisation of convolutions (transposed too) and linear layers — kaiming_uniform with a = √5,
/// i.e. U(±1/√fan_in) for weights and biases, fan_in = ∏ weight.shape[1..] as PyTorch computes it — and BatchNorm
/// γ = 1, β = 0, drawn from a generator of our own so that concurrent jobs or tests using libtorch's global generator
/// cannot change it (nn.init.uniform_ ignores its generator argument in TorchSharp 0.107).
/// </summary>
public static class SeededInitialization
{
    public static void Apply(nn.Module module, long seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Convolution conv:
                    Uniform(conv.weight, conv.bias, generator);
                    break;
                case Linear linear:
                    Uniform(linear.weight, linear.bias, generator);
                    break;
                case BatchNorm norm:
                    norm.weight?.fill_(LiveScalars.One);
                    norm.bias?.fill_(LiveScalars.Zero);
                    break;
            }
        }
    }

    private static void Uniform(Tensor weight, Tensor? bias, Generator generator)
    {
        var bound = 1 / Math.Sqrt(weight.shape.Skip(1).Aggregate(1L, (p, d) => p * d));
        foreach (var tensor in bias is null ? [weight] : new[] { weight, bias })
        {
            using var scope = NewDisposeScope();
            tensor.uniform_(-bound, bound, generator);
        }
    }
}
