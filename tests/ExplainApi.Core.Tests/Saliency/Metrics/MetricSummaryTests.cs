using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency.Metrics;

public class MetricSummaryTests
{
    [Fact]
    public void The_summary_is_the_mean_and_population_standard_deviation()
    {
        var summary = MetricSummary.Of([0.5, 0.7, 0.9, 0.7]);

        Assert.Equal(4, summary.Count);
        Assert.Equal(0.7, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), summary.StandardDeviation, 12);
    }

    [Fact]
    public void No_values_give_nan()
    {
        var summary = MetricSummary.Of([]);

        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.Mean) && double.IsNaN(summary.StandardDeviation));
    }
}
