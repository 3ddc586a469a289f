namespace ExplainApi.Core.Saliency.Metrics;

/// <summary>
/// A per-image metric over a set of images, reported as mean ± std (population std, ddof = 0, as numpy's
/// default and the VA-GAN evaluation compute it).
/// </summary>
public sealed record MetricSummary(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The summary of <paramref name="values"/>; NaN mean and std when there are none.</summary>
    public static MetricSummary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        if (list.Count == 0)
        {
            return new MetricSummary(double.NaN, double.NaN, 0);
        }

        var mean = list.Average();
        var variance = list.Sum(v => (v - mean) * (v - mean)) / list.Count;
        return new MetricSummary(mean, Math.Sqrt(variance), list.Count);
    }
}
