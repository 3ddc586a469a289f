using ExplainApi.Torch.Training.VaGan;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.VaGan;

/// <summary>The WGAN-GP penalty against hand computations on critics whose gradients are known in closed form.</summary>
public sealed class GradientPenaltyTests
{
    [Fact]
    public void The_gradient_norm_is_taken_over_all_non_batch_axes_of_a_linear_critic()
    {
        // D(x) = Σ w ⊙ x per sample, so ∇D = w everywhere and the penalty is (‖w‖₂ − 1)² over C, H and W together.
        float[] w = [0.5f, -1, 2, 0, 1, 1, -0.5f, 0.25f, 3, 0, 0, 1]; // [C=3, H=2, W=2]
        using var critic = new Weighted(w, [3, 2, 2], square: false);
        using var scope = NewDisposeScope();
        var (real, translated, epsilon) = (randn(4, 3, 2, 2), randn(4, 3, 2, 2), rand(4, 1, 1, 1));

        var penalty = WassersteinLosses.GradientPenalty(critic, real, translated, epsilon).item<float>();

        var norm = Math.Sqrt(w.Sum(v => (double)v * v));
        Assert.Equal(Math.Pow(norm - 1, 2), penalty, 4);
        // The official code's norm over one axis only would give the mean of per-row terms instead: a different number.
        var perRow = Enumerable.Range(0, 6).Select(r => Math.Pow(Math.Sqrt(w.Skip(2 * r).Take(2).Sum(v => (double)v * v)) - 1, 2)).Average();
        Assert.NotEqual(perRow, penalty, 2);
    }

    [Fact]
    public void Each_sample_is_penalised_at_its_own_interpolate_between_real_and_translated()
    {
        // D(x) = ½ Σ x² per sample, so ∇D(x̂) = x̂ = εx₀ + (1 − ε)y and the penalty is mean over n of (‖x̂_n‖ − 1)².
        using var critic = new Weighted([1f], [1, 1, 1], square: true);
        float[] real = [1, 2, 0, 0, -1, 0, 3, 1], translated = [0, 0, 2, 2, 1, 1, -1, 0], epsilon = [0.25f, 0.5f];
        using var scope = NewDisposeScope();

        var penalty = WassersteinLosses.GradientPenalty(critic, tensor(real, [2, 1, 2, 2]), tensor(translated, [2, 1, 2, 2]), tensor(epsilon, [2, 1, 1, 1])).item<float>();

        var expected = Enumerable.Range(0, 2).Select(n =>
        {
            var mixed = Enumerable.Range(0, 4).Select(i => epsilon[n] * real[4 * n + i] + (1 - epsilon[n]) * translated[4 * n + i]);
            return Math.Pow(Math.Sqrt(mixed.Sum(v => (double)v * v)) - 1, 2);
        }).Average();
        Assert.Equal(expected, penalty, 4);
    }

    /// <summary>D(x) = Σ w ⊙ x, or ½ Σ w ⊙ x², per sample (w broadcast over the batch).</summary>
    private sealed class Weighted : nn.Module<Tensor, Tensor>
    {
        private readonly Tensor _weight;
        private readonly Scalar _half = 0.5f.ToScalar(); // held through the calls (see LiveScalars)
        private readonly bool _square;

        public Weighted(float[] weight, long[] shape, bool square)
            : base(nameof(Weighted))
        {
            _weight = tensor(weight, shape).DetachFromDisposeScope();
            _square = square;
        }

        public override Tensor forward(Tensor input)
        {
            var x = _square ? input.square().mul(_weight).mul(_half) : input.mul(_weight);
            return x.flatten(1).sum(1);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _weight.Dispose();
                _half.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
