using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// Plain SGD (no momentum) with L2 weight decay: p ← p − lr·(∇p + wd·p), as torch.optim.SGD computes it. Its own
/// step because TorchSharp 0.107's optimizers pass lr and wd as temporary Scalars that a GC on another thread may
/// free mid-call (see Classifier.LiveScalars): here both are held for the optimizer's life.
/// </summary>
public sealed class KeptAliveSgd(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) : IDisposable
{
    private readonly Parameter[] parameters = [.. parameters];
    private readonly Scalar negativeRate = (-learningRate).ToScalar();
    private readonly Scalar decay = weightDecay.ToScalar();

    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.grad?.zero_();
        }
    }

    public void Step()
    {
        using var noGrad = no_grad();
        foreach (var p in parameters)
        {
            if (p.grad is not { } grad)
            {
                continue;
            }

            if (weightDecay != 0)
            {
                grad.add_(p, alpha: decay);
            }

            p.add_(grad, alpha: negativeRate);
        }
    }

    public void Dispose()
    {
        negativeRate.Dispose();
        decay.Dispose();
    }
}
