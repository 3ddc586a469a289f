using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Training masks from image-level labels (METHODS.md §4): a classifier's CAM seeds (<see cref="SeedGenerator"/>, PSA's
/// α), optionally refined by the dense CRF guided by the image (PSA's and SSDD's post-processing), and their quality
/// against the true masks. Labels are the segmentation's: 0 background, k the dataset's class k − 1.
/// </summary>
public static class PseudoMasks
{
    /// <summary>
    /// The probability a seed's label gets in the CRF's unary (pydensecrf's <c>unary_from_labels</c>; PSA and SSDD use
    /// 0.7 for CAM labels): confident enough to keep the seed where the image gives no reason to move, loose enough for
    /// the appearance kernel to pull boundaries to edges.
    /// </summary>
    public const float SeedConfidence = 0.7f;

    /// <summary>Each image's seed from its true classes (0-based, the model's class order).</summary>
    public static byte[][] Seeds(
        IExplainableModel model, IReadOnlyList<float[]> images, IReadOnlyList<int[]> labels, double alpha, CancellationToken cancellationToken) =>
        [.. SeedGenerator.Generate(model, images, labels, new SeedOptions { Alpha = alpha }, cancellationToken).Select(s => s.Seed)];

    /// <summary>
    /// The CRF's guide from a model input (C × H × W planar, [−1, 1] as the synthetic and windowed sets are normalised):
    /// (v + 1) · 127.5, clamped to 0–255, interleaved.
    /// </summary>
    public static CrfImage Guide(ReadOnlySpan<float> input, int channels, int height, int width)
    {
        var plane = height * width;
        var pixels = new float[plane * channels];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < plane; p++)
            {
                pixels[(p * channels) + c] = Math.Clamp((input[(c * plane) + p] + 1f) * 127.5f, 0f, 255f);
            }
        }

        return new CrfImage(height, width, channels, pixels);
    }

    /// <summary>
    /// Mean field over the labels the seed holds plus background (as PSA's CRF sees only the image's classes), unary from
    /// the seed at <see cref="SeedConfidence"/>; the arg-max label map.
    /// </summary>
    public static byte[] Refine(CrfImage image, ReadOnlySpan<byte> seed, IReadOnlyCollection<int> labels, DenseCrfParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        int[] present = [0, .. labels.Select(c => c + 1).Where(k => k is > 0 and < 256).Distinct().Order()];
        var compact = new int[256];
        Array.Fill(compact, 0);
        for (var i = 0; i < present.Length; i++)
        {
            compact[present[i]] = i;
        }

        var seedLabels = new int[seed.Length];
        for (var p = 0; p < seed.Length; p++)
        {
            seedLabels[p] = compact[seed[p]];
        }

        var crf = new DenseCrf(image, present.Length, parameters, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var result = crf.Infer(CrfUnary.FromLabels(seedLabels, present.Length, SeedConfidence), cancellationToken);
        return [.. result.LabelMap.Select(i => (byte)present[i])];
    }

    /// <summary>
    /// A prediction refined by the CRF as SSDD's dynamic variant does inside a training step (§3.5): the probabilities
    /// [K, H, W] kept for background and the image's classes only, renormalised, mean field, the arg-max label map.
    /// </summary>
    /// <param name="labels">The image's classes as label values (≥ 1).</param>
    public static byte[] RefineProbabilities(CrfImage image, ReadOnlySpan<float> probabilities, int classes, IReadOnlyCollection<int> labels, DenseCrfParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        int[] present = [0, .. labels.Where(k => k > 0 && k < classes).Distinct().Order()];
        var pixels = image.Height * image.Width;
        var kept = new float[present.Length * pixels];
        for (var p = 0; p < pixels; p++)
        {
            var sum = 0f;
            for (var i = 0; i < present.Length; i++)
            {
                sum += kept[(i * pixels) + p] = probabilities[(present[i] * pixels) + p];
            }
            for (var i = 0; i < present.Length; i++)
            {
                kept[(i * pixels) + p] = sum > 0 ? kept[(i * pixels) + p] / sum : 1f / present.Length;
            }
        }

        var crf = new DenseCrf(image, present.Length, parameters, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var result = crf.Infer(CrfUnary.FromProbabilities(kept));
        return [.. result.LabelMap.Select(i => (byte)present[i])];
    }

    /// <summary>The masks' scores against the true masks (PASCAL mIoU over <paramref name="labels"/> labels, background included).</summary>
    public static SegmentationMetrics Quality(IEnumerable<(byte[] Truth, byte[] Mask)> pairs, int labels)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var confusion = new SegmentationConfusion(labels);
        foreach (var (truth, mask) in pairs)
        {
            confusion.Add(truth, mask);
        }

        return confusion.Metrics();
    }
}
