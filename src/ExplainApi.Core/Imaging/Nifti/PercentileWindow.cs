namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// A robust display window for images with no stored one: the 0.5th to 99.5th percentile of the finite
/// values, so a few hot voxels do not flatten the contrast. Percentiles interpolate linearly between
/// closest ranks, p(q) = v[floor(h)] + (h - floor(h)) (v[floor(h)+1] - v[floor(h)]) with h = q (n - 1)
/// (Hyndman and Fan 1996, definition 7; numpy's default).
/// </summary>
internal static class PercentileWindow
{
    public const double LowQuantile = 0.005;
    public const double HighQuantile = 0.995;

    /// <summary>The percentile window, or <see cref="IntensityWindow.FromRange"/> when it is degenerate (e.g. a mostly empty slice).</summary>
    public static IntensityWindow Compute(ReadOnlySpan<float> values)
    {
        var finite = new float[values.Length];
        var n = 0;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                finite[n++] = v;
            }
        }

        var sorted = finite.AsSpan(0, n);
        sorted.Sort();
        if (n > 0)
        {
            var low = Quantile(sorted, LowQuantile);
            var high = Quantile(sorted, HighQuantile);
            if (high > low)
            {
                return new IntensityWindow(low, high);
            }
        }

        return IntensityWindow.FromRange(values);
    }

    private static double Quantile(ReadOnlySpan<float> sorted, double q)
    {
        var h = q * (sorted.Length - 1);
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * ((double)sorted[above] - sorted[below]));
    }
}
