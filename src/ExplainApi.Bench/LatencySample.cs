using System.Diagnostics;

namespace ExplainApi.Bench;

/// <summary>
/// Durations of repeated runs, summarised by nearest-rank percentiles: wall-clock time and, for runs inside this
/// process, the process's CPU time (user + system, all threads). On a shared machine the wall-clock time grows
/// with the other jobs' load; the CPU time is the work itself and much less sensitive to it.
/// </summary>
public sealed class LatencySample
{
    private readonly List<double> milliseconds = [];
    private readonly List<double> cpuMilliseconds = [];

    public int Count => milliseconds.Count;

    public void Add(TimeSpan elapsed) => milliseconds.Add(elapsed.TotalMilliseconds);

    private void Add(TimeSpan elapsed, TimeSpan cpu)
    {
        milliseconds.Add(elapsed.TotalMilliseconds);
        cpuMilliseconds.Add(cpu.TotalMilliseconds);
    }

    /// <summary>
    /// Runs <paramref name="action"/> once as a warm-up, then timed until <paramref name="maxRepetitions"/> runs or
    /// <paramref name="budget"/> is spent (at least <paramref name="minRepetitions"/>). A warm-up longer than the
    /// budget is kept as the only sample rather than repeated: such runs are seconds long, far past JIT and ORT's
    /// lazy allocations, and repeating them would not fit the benchmark's time.
    /// </summary>
    public static LatencySample Measure(int minRepetitions, int maxRepetitions, TimeSpan budget, Action action, bool warmUp = true)
    {
        ArgumentNullException.ThrowIfNull(action);
        var sample = new LatencySample();
        if (warmUp)
        {
            var (wall, cpu) = Timed(action);
            if (wall > budget)
            {
                sample.Add(wall, cpu);
                return sample;
            }
        }

        var total = Stopwatch.StartNew();
        while (sample.Count < maxRepetitions && (sample.Count < minRepetitions || total.Elapsed < budget))
        {
            var (wall, cpu) = Timed(action);
            sample.Add(wall, cpu);
        }

        return sample;
    }

    /// <summary>The nearest-rank percentile p ∈ (0, 100] of the wall-clock times in milliseconds.</summary>
    public double Percentile(double p) => Percentile(milliseconds, p);

    /// <summary>The same for the CPU times (NaN for samples timed outside this process, e.g. HTTP requests).</summary>
    public double CpuPercentile(double p) => Percentile(cpuMilliseconds, p);

    public double Mean => milliseconds.Count == 0 ? double.NaN : milliseconds.Average();

    public object Summary() => new
    {
        count = Count, p50Ms = Percentile(50), p95Ms = Percentile(95), meanMs = Mean,
        cpuP50Ms = cpuMilliseconds.Count == 0 ? (double?)null : CpuPercentile(50),
    };

    private static (TimeSpan Wall, TimeSpan Cpu) Timed(Action action)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed, Environment.CpuUsage.TotalTime - cpu);
    }

    /// <summary>The nearest-rank percentile p ∈ (0, 100] of <paramref name="values"/> (NaN when there are none).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
