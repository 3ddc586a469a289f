using System.Diagnostics;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Training;

namespace ExplainApi.Bench;

/// <summary>Wall and process CPU time of one part of a training run.</summary>
public readonly record struct Cost(double WallSeconds, double CpuSeconds)
{
    public static Cost operator +(Cost a, Cost b) => new(a.WallSeconds + b.WallSeconds, a.CpuSeconds + b.CpuSeconds);

    public static Cost operator *(double n, Cost c) => new(n * c.WallSeconds, n * c.CpuSeconds);

    /// <summary>The median (nearest rank) wall time and, separately, the median CPU time of <paramref name="costs"/>.</summary>
    public static Cost Median(IReadOnlyCollection<Cost> costs) =>
        new(LatencySample.Percentile([.. costs.Select(c => c.WallSeconds)], 50), LatencySample.Percentile([.. costs.Select(c => c.CpuSeconds)], 50));
}

/// <summary>
/// Times a real trainer from outside through its progress reports, which the shared TrainingLoop makes synchronously
/// on the training thread: one "training" report after each step, then a "validating" report after each validation.
/// A step's cost is the time since the report before it; a validation's, the time since its step's report.
/// </summary>
public sealed class StepTimeline : IProgress<TrainingProgress>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
    private readonly Dictionary<long, Cost> steps = [];
    private readonly List<(long Step, Cost Cost)> validations = [];
    private (double Wall, double Cpu) last;

    /// <summary>Each step's cost by its 0-based index (the loop reports the count of steps done, index + 1).</summary>
    public IReadOnlyDictionary<long, Cost> Steps => steps;

    /// <summary>Each validation's cost and the number of steps done before it.</summary>
    public IReadOnlyList<(long Step, Cost Cost)> Validations => validations;

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var now = (clock.Elapsed.TotalSeconds, (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
        var cost = new Cost(now.Item1 - last.Wall, now.Item2 - last.Cpu);
        if (value.Phase == TrainingLoop.TrainingPhase)
        {
            steps[value.Step - 1] = cost;
        }
        else if (value.Phase == "validating")
        {
            validations.Add((value.Step, cost));
        }

        last = now;
    }

    /// <summary>The median cost of the steps with index in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Cost MedianStep(long from, long to) => Cost.Median([.. steps.Where(s => s.Key >= from && s.Key < to).Select(s => s.Value)]);
}
