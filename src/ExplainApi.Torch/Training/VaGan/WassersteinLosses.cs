using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// VA-GAN's losses (Baumgartner et al., CVPR 2018, eq. 3–5; WGAN-GP, Gulrajani et al., NeurIPS 2017, Algorithm 1),
/// with y = tanh(x + M(x)) the translated class-1 image and x₀ a class-0 image:
/// critic L_D = mean D(x₀) − mean D(y) + λ·mean((‖∇D(x̂)‖₂ − 1)²), x̂ = εx₀ + (1 − ε)y, ε ~ U(0, 1) per sample;
/// generator L_G = mean D(y) + μ·mean|y − x|. The critic scores translated images high, so mean D(y) − mean D(x₀)
/// is its Wasserstein estimate. Every Scalar is held for the losses' life (see <see cref="LiveScalars"/>).
/// </summary>
public sealed class WassersteinLosses(double gpWeight, double l1Weight) : IDisposable
{
    private readonly Scalar _gpWeight = gpWeight.ToScalar(), _l1Weight = l1Weight.ToScalar();

    /// <summary>y = tanh(x + M): the translation stays in [−1, 1], the image range.</summary>
    public static Tensor Translate(Tensor input, Tensor map) => input.add(map, LiveScalars.One).tanh();

    /// <returns>L_D and the Wasserstein estimate mean D(y) − mean D(x₀) (the caller's dispose scope owns both).</returns>
    public (Tensor Loss, Tensor Estimate) Critic(nn.Module<Tensor, Tensor> critic, Tensor real, Tensor translated, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(critic);
        var estimate = critic.call(translated).mean().sub(critic.call(real).mean());
        var penalty = GradientPenalty(critic, real, translated, epsilon);
        return (penalty.mul(_gpWeight).sub(estimate), estimate);
    }

    /// <returns>L_G and its L1 term mean|y − x|.</returns>
    public (Tensor Loss, Tensor L1) Generator(nn.Module<Tensor, Tensor> critic, Tensor input, Tensor translated)
    {
        ArgumentNullException.ThrowIfNull(critic);
        var l1 = translated.sub(input).abs().mean();
        return (critic.call(translated).mean().add(l1, _l1Weight), l1);
    }

    /// <summary>
    /// mean((‖∇D(x̂)‖₂ − 1)²) with the norm over all non-batch axes (C, H, W), as Gulrajani et al. define it. The official
    /// VA-GAN code reduces over one axis only (a known bug), which penalises per-row norms instead; we deviate on purpose.
    /// </summary>
    /// <param name="epsilon">[N, 1, 1, 1] in [0, 1].</param>
    public static Tensor GradientPenalty(nn.Module<Tensor, Tensor> critic, Tensor real, Tensor translated, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(translated);
        // x̂ = y + ε(x₀ − y) = εx₀ + (1 − ε)y, detached from the generator.
        var mixed = translated.detach().add(real.sub(translated.detach()).mul(epsilon), LiveScalars.One).requires_grad_(true);
        var scores = critic.call(mixed);
        var gradient = autograd.grad([scores.sum()], [mixed], retain_graph: true, create_graph: true)[0];
        var norm = gradient.flatten(1).square().sum(1).sqrt();
        return norm.sub(LiveScalars.One).square().mean();
    }

    public void Dispose()
    {
        _gpWeight.Dispose();
        _l1Weight.Dispose();
    }
}
