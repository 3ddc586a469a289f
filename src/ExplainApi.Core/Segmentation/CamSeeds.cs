namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Seed masks from class activation maps (Ahn &amp; Kwak, "Learning Pixel-level Semantic Affinity with Image-level
/// Supervision", CVPR 2018, §3.2; METHODS.md §4): each labelled class's CAM is divided by its maximum, the background
/// scores bg = (1 − max_c CAM_c)^α over the labelled classes, and the seed is the arg-max over {bg, labelled classes}
/// as a byte map (0 = background, k = class k − 1, <see cref="Datasets.Sample.Segmentation"/>'s coding). Ties go to
/// background, then to the earlier class, as np.argmax over [bg, classes…] does. Negative values are clamped to 0 (the
/// CAM family's ReLU; a signed map's evidence against a class is no evidence for it); NaN or infinity is refused.
/// </summary>
public static class CamSeeds
{
    /// <summary>α of the seed PSA propagates (its infer_aff.py default) and SSDD starts from.</summary>
    public const double DefaultAlpha = 16;

    /// <summary>PSA's low α: (1 − m)^4 stays large, so only strong CAM peaks beat it and the foreground left is confident.</summary>
    public const double ConfidentForegroundAlpha = 4;

    /// <summary>PSA's high α: (1 − m)^32 vanishes except where every CAM is near 0, so the background left is confident.</summary>
    public const double ConfidentBackgroundAlpha = 32;

    /// <summary>The seed from raw CAMs: <see cref="NormalizeByMax"/> of each labelled map, then <see cref="FromNormalized"/>.</summary>
    /// <param name="cams">One H×W map per class (C entries); maps of classes outside <paramref name="labels"/> are ignored and may be null.</param>
    /// <param name="labels">The classes present in the image (0..C−1); empty gives an all-background seed.</param>
    public static byte[] Compute(IReadOnlyList<float[]?> cams, IReadOnlyCollection<int> labels, int height, int width, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(cams);
        var classes = LabelledClasses(labels, cams.Count);
        var normalized = classes.Select(c => NormalizeByMax(cams[c] ?? throw new ArgumentException($"Class {c} is labelled but has no map.", nameof(cams)))).ToList();
        return FromNormalized(normalized, classes, height, width, alpha);
    }

    /// <summary>CAM / max CAM after clamping negatives to 0; a map that is 0 everywhere stays 0.</summary>
    public static float[] NormalizeByMax(ReadOnlySpan<float> cam)
    {
        var max = 0f;
        foreach (var v in cam)
        {
            max = float.IsFinite(v) ? Math.Max(max, v) : throw new ArgumentException($"The map has a value {v} that is not finite.", nameof(cam));
        }

        var result = new float[cam.Length];
        for (var i = 0; max > 0 && i < cam.Length; i++)
        {
            result[i] = Math.Max(cam[i], 0f) / max;
        }

        return result;
    }

    /// <summary>The seed from maps already in [0, 1]: <paramref name="maps"/>[i] belongs to class <paramref name="classes"/>[i].</summary>
    public static byte[] FromNormalized(IReadOnlyList<float[]> maps, IReadOnlyList<int> classes, int height, int width, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!double.IsFinite(alpha) || alpha <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be a positive number.");
        }

        if (maps.Count != classes.Count || classes.Any(c => c is < 0 or > byte.MaxValue - 1))
        {
            throw new ArgumentException($"Expected one map per class in 0..{byte.MaxValue - 1}; got {maps.Count} maps for {classes.Count} classes.", nameof(classes));
        }

        var pixels = height * width;
        var bad = maps.FirstOrDefault(m => m.Length != pixels || Array.Exists(m, v => !(v >= 0f && v <= 1f)));
        if (bad is not null)
        {
            throw new ArgumentException($"Every map must have {height}x{width} values in [0, 1].", nameof(maps));
        }

        var seed = new byte[pixels];
        for (var p = 0; p < pixels; p++)
        {
            var (best, label, max) = (0f, 0, 0f);
            for (var i = 0; i < maps.Count; i++)
            {
                var v = maps[i][p];
                max = Math.Max(max, v);
                (best, label) = v > best ? (v, classes[i] + 1) : (best, label);
            }

            seed[p] = best > Math.Pow(1 - max, alpha) ? (byte)label : (byte)0;
        }

        return seed;
    }

    /// <summary>The distinct labelled classes in ascending order, each checked against 0..<paramref name="classCount"/>−1.</summary>
    public static int[] LabelledClasses(IReadOnlyCollection<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var bad = labels.Where(c => c < 0 || c >= classCount).ToList();
        return bad.Count == 0
            ? [.. labels.Distinct().Order()]
            : throw new ArgumentOutOfRangeException(nameof(labels), $"Class(es) {string.Join(", ", bad)} outside 0..{classCount - 1}.");
    }
}
