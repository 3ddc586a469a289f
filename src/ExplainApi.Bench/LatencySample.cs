using System.Diagnostics;

namespace ExplainApi.Bench;

/// <summary>Wall-clock durations of repeated runs, summarised by nearest-rank percentiles.</summary>
public sealed class LatencySample
{
    private readonly List<double> milliseconds = [];

    public int Count => milliseconds.Count;

    public void Add(TimeSpan elapsed) => milliseconds.Add(elapsed.TotalMilliseconds);

    /// <summary>
    /// Runs <paramref name="action"/> once as a warm-up, then timed until <paramref name="maxRepetitions"/> runs or
    /// <paramref name="budget"/> is spent (at least <paramref name="minRepetitions"/>). A warm-up longer than the
    /// budget is kept as the only sample rather than repeated: such runs are seconds long, far past JIT and ORT's
    /// lazy allocations, and repeating them would not fit the benchmark's time.
    /// </summary>
    public static LatencySample Measure(int minRepetitions, int maxRepetitions, TimeSpan budget, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var sample = new LatencySample();
        var warmUp = Stopwatch.StartNew();
        action();
        if (warmUp.Elapsed > budget)
        {
            sample.Add(warmUp.Elapsed);
            return sample;
        }

        var total = Stopwatch.StartNew();
        while (sample.Count < maxRepetitions && (sample.Count < minRepetitions || total.Elapsed < budget))
        {
            var watch = Stopwatch.StartNew();
            action();
            sample.Add(watch.Elapsed);
        }

        return sample;
    }

    /// <summary>The nearest-rank percentile p ∈ (0, 100] in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public double Mean => milliseconds.Count == 0 ? double.NaN : milliseconds.Average();

    public object Summary() => new { count = Count, p50Ms = Percentile(50), p95Ms = Percentile(95), meanMs = Mean };
}
