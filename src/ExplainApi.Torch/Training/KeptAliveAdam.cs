using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// Adam with L2 weight decay as torch.optim.Adam computes it (Kingma and Ba 2015, Algorithm 1; no AMSGrad). Its own
/// step because TorchSharp 0.107's optimizers pass their coefficients as temporary Scalars that a GC on another
/// thread may free mid-call (see Classifier.LiveScalars); here every Scalar is held until the call returns.
/// </summary>
public sealed class KeptAliveAdam : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly double beta1, beta2, weightDecay;
    private readonly Scalar beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, decay, epsilon;

    public KeptAliveAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double weightDecay, double eps = 1e-8)
    {
        this.parameters = [.. parameters];
        (LearningRate, this.beta1, this.beta2, this.weightDecay) = (learningRate, beta1, beta2, weightDecay);
        (beta1Scalar, beta2Scalar) = (beta1.ToScalar(), beta2.ToScalar());
        (oneMinusBeta1, oneMinusBeta2) = ((1 - beta1).ToScalar(), (1 - beta2).ToScalar());
        (decay, epsilon) = (weightDecay.ToScalar(), eps.ToScalar());
        ExpAvg = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        ExpAvgSq = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <summary>First and second moment per parameter, in parameter order (what a checkpoint saves).</summary>
    public IReadOnlyList<Tensor> ExpAvg { get; }

    public IReadOnlyList<Tensor> ExpAvgSq { get; }

    /// <summary>The step size α; a schedule may change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken; a resumed run sets it to the checkpoint's step.</summary>
    public long Steps { get; set; }

    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.grad?.zero_();
        }
    }

    public void Step()
    {
        Steps++;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Bias corrections of step t (Algorithm 1): step size lr / (1 − β1^t), denominator √v / √(1 − β2^t) + ε.
        using var stepSize = (-LearningRate / (1 - Math.Pow(beta1, Steps))).ToScalar();
        using var correction2 = Math.Sqrt(1 - Math.Pow(beta2, Steps)).ToScalar();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].grad is not { } grad)
            {
                continue;
            }

            var g = weightDecay != 0 ? grad.add(parameters[i], alpha: decay) : grad;
            ExpAvg[i].mul_(beta1Scalar).add_(g, alpha: oneMinusBeta1);
            ExpAvgSq[i].mul_(beta2Scalar).addcmul_(g, g, value: oneMinusBeta2);
            var denominator = ExpAvgSq[i].sqrt().div_(correction2).add_(epsilon);
            parameters[i].addcdiv_(ExpAvg[i], denominator, value: stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in ExpAvg.Concat(ExpAvgSq))
        {
            t.Dispose();
        }

        foreach (var s in new[] { beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, decay, epsilon })
        {
            s.Dispose();
        }
    }
}
