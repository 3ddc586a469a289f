using ExplainApi.Core.Saliency.Gradients;
using ExplainApi.Core.Saliency.Perturbation;
using TorchSharp;
using static ExplainApi.Torch.Tests.Saliency.ReferenceTensors;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>
/// The input-level methods as direct tensor formulas, each returning the raw H×W map. The random ones consume
/// the same draws as our classes (SmoothGrad's noise stream, RISE's mask sampler), so the comparison is exact.
/// </summary>
internal static class InputReferences
{
    // Simonyan 2014: max over channels of |∂y_c/∂x|.
    public static Tensor Gradient(TinyCamNet net, float[] image, int c) =>
        Backward(net, Image(image), c).GradX[0].abs().amax([0]);

    // Smilkov 2017: the mean over n noisy copies of the vanilla-gradient map, σ = noise·(max x − min x).
    public static Tensor SmoothGrad(TinyCamNet net, float[] image, int c, int samples, double noise, ulong seed)
    {
        var sigma = noise * (image.Max() - (double)image.Min());
        var draws = ExplainApi.Core.Saliency.Gradients.SmoothGrad.NoiseFor(seed);
        var copies = new float[samples * image.Length];
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = (float)(image[i % image.Length] + (sigma * draws.NextGaussian()));
        }

        var x = tensor(copies, [samples, TinyCamNet.Channels, H, W]);
        return Backward(net, x, c).GradX.abs().amax([1]).mean([0]);
    }

    // Sundararajan 2017 eq. 3 (right Riemann sum, zero baseline): IG = x · mean_m ∂y_c/∂x(m/M · x); the map sums channels.
    public static (Tensor Map, double Gap) IntegratedGradients(TinyCamNet net, float[] image, int c, int steps)
    {
        var x = Image(image);
        var alphas = tensor(Enumerable.Range(1, steps).Select(m => (float)((double)m / steps)).ToArray()).reshape(-1, 1, 1, 1);
        var attribution = x[0] * Backward(net, alphas * x, c).GradX.mean([0]);
        using var _ = no_grad();
        var difference = (net.call(x)[0, c] - net.call(zeros_like(x))[0, c]).item<float>();
        return (attribution.sum([0]), attribution.to_type(ScalarType.Float64).sum().item<double>() - difference);
    }

    // Zeiler 2014: mean over the covering patches of p_c(x) − p_c(x with the patch zeroed); a last patch flush with each edge.
    public static Tensor Occlusion(TinyCamNet net, float[] image, int c, int side, int stride)
    {
        var x = Image(image);
        var offsets = Offsets(H, side, stride);
        var occluded = new List<Tensor>();
        foreach (var top in offsets)
        {
            foreach (var left in offsets)
            {
                var copy = x.clone();
                copy[.., .., top..(top + side), left..(left + side)] = 0f;
                occluded.Add(copy);
            }
        }

        using var _ = no_grad();
        var drops = net.call(x).softmax(1)[0, c] - net.call(cat(occluded, 0)).softmax(1)[.., c];
        var (sum, count) = (zeros(H, W), zeros(H, W));
        var p = 0;
        foreach (var top in offsets)
        {
            foreach (var left in offsets)
            {
                sum[top..(top + side), left..(left + side)] += drops[p++];
                count[top..(top + side), left..(left + side)] += 1f;
            }
        }

        return sum / count;
    }

    // Petsiuk 2018 eq. 6: Σ_i softmax_c(f(x ∘ m_i))·m_i / (N·p), with the masks our sampler draws; centred:
    // Σ_i P_i·m_i / Σ_i m_i − mean_i P_i.
    public static Tensor Rise(TinyCamNet net, float[] image, int c, int count, ulong seed, RiseScoring scoring)
    {
        const double p = 0.5;
        var sampler = new RiseMaskSampler(H, W, gridSize: 7, p, seed);
        var masks = new float[count * H * W];
        for (var i = 0; i < count; i++)
        {
            sampler.Next(masks.AsSpan(i * H * W, H * W));
        }

        var m = tensor(masks, [count, 1, H, W]);
        using var _ = no_grad();
        var scores = net.call(Image(image) * m).softmax(1)[.., c];
        var weighted = (scores.reshape(-1, 1, 1) * m[.., 0]).sum([0]);
        return scoring == RiseScoring.Paper
            ? weighted / (float)(count * p)
            : (weighted / m[.., 0].sum([0]).clamp_min(1e-12)) - scores.mean();
    }

    private static int[] Offsets(int size, int side, int step)
    {
        var offsets = new List<int>();
        for (var o = 0; o + side <= size; o += step)
        {
            offsets.Add(o);
        }

        if (offsets[^1] + side < size)
        {
            offsets.Add(size - side);
        }

        return [.. offsets];
    }
}
