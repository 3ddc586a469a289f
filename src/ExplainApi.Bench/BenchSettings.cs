using ExplainApi.Onnx;

namespace ExplainApi.Bench;

/// <summary>
/// How long each measurement may run. Every loop is bounded twice: by a repetition count and by a time budget;
/// a single run longer than the budget is reported as one repetition (the methods' cost is deterministic per
/// image, so one long run is representative, and the report states the count).
/// </summary>
public sealed record BenchSettings(
    bool Quick,
    int MinRepetitions,
    int MaxRepetitions,
    TimeSpan MethodBudget,
    TimeSpan BatchBudget,
    TimeSpan ForwardBudget,
    TimeSpan LoadDuration,
    int[] ScoreCamWidths,
    int[] ClientCounts)
{
    public const int Batch = 32;

    /// <summary>Where ONNX Runtime runs: CPU unless --accelerator says otherwise (scripts/gpu-check.sh runs both).</summary>
    public AcceleratorPreference Accelerator { get; init; } = AcceleratorPreference.Cpu;

    public static BenchSettings Full { get; } = new(false, 5, 50, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(15), [8, 16, 32, 64], [1, 8, 32]);

    public static BenchSettings QuickCheck { get; } = new(true, 1, 3, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2), [8, 16], [1, 8, 32]);
}
