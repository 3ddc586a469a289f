namespace ExplainApi.Core.Saliency.Metrics;

/// <summary>Whether NCC compares the maps as they are or their magnitudes.</summary>
public enum NccSign
{
    /// <summary>The maps as they are: a map of the right region with the wrong sign scores −1.</summary>
    SignedValues,

    /// <summary>|map| against |ground truth|: for methods whose sign carries no meaning.</summary>
    AbsoluteValues,
}

/// <summary>
/// Normalised cross-correlation (Baumgartner et al., VA-GAN, CVPR 2018): the Pearson correlation between a
/// map and the ground-truth map over all pixels of one image, Σ(a−ā)(b−b̄) / √(Σ(a−ā)² Σ(b−b̄)²).
/// Report it per image (mean ± std over images) and say which <see cref="NccSign"/> was used.
/// </summary>
public static class NormalizedCrossCorrelation
{
    /// <summary>The NCC in [−1, 1]; 0 when either map is constant, since a constant map ranks nothing.</summary>
    public static double Compute(ReadOnlySpan<float> map, ReadOnlySpan<float> groundTruth, NccSign sign)
    {
        if (map.Length != groundTruth.Length)
        {
            throw new ArgumentException($"The map has {map.Length} values, the ground truth {groundTruth.Length}.", nameof(groundTruth));
        }

        double Value(float v) => sign == NccSign.AbsoluteValues ? Math.Abs((double)v) : v;
        double meanA = 0, meanB = 0;
        for (var i = 0; i < map.Length; i++)
        {
            meanA += Value(map[i]);
            meanB += Value(groundTruth[i]);
        }

        (meanA, meanB) = (meanA / map.Length, meanB / map.Length);
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (var i = 0; i < map.Length; i++)
        {
            var (a, b) = (Value(map[i]) - meanA, Value(groundTruth[i]) - meanB);
            (covariance, varianceA, varianceB) = (covariance + (a * b), varianceA + (a * a), varianceB + (b * b));
        }

        var denominator = Math.Sqrt(varianceA * varianceB);
        return denominator > 0 ? Math.Clamp(covariance / denominator, -1, 1) : 0;
    }
}
