using System.ComponentModel.DataAnnotations;
using ExplainApi.Onnx;

namespace ExplainApi.Host.Platform;

/// <summary>
/// The "ExplainApi:OnnxThreads" section, the thread plan (<see cref="OrtThreadPlan"/>): at most
/// <see cref="MaxConcurrentRuns"/> ONNX Runtime runs compute at once, each with <see cref="IntraOpThreads"/> threads, and
/// threads × runs may not exceed the processors (checked at start), so concurrent requests do not each take every core.
/// </summary>
public sealed class OnnxThreadOptions : IValidatableObject
{
    public const string Section = "ExplainApi:OnnxThreads";

    /// <summary>
    /// Runs computing at once in the process; a run beyond waits. Default one per processor, one thread each: on the 2-core
    /// machine 2 runs × 1 thread beat 1 run × 2 threads by 20–35 % (raw ORT, batch 16) and the service by half (docs/benchmarks.md).
    /// </summary>
    [Range(1, 4096)]
    public int MaxConcurrentRuns { get; set; } = Environment.ProcessorCount;

    /// <summary>Threads of one run; 0 = processors ÷ <see cref="MaxConcurrentRuns"/>.</summary>
    [Range(0, 4096)]
    public int IntraOpThreads { get; set; }

    /// <summary>Whether idle intra-op threads spin (ORT's default) rather than sleep; off by default: the cores are shared (see <see cref="OrtThreadPlan"/>).</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>The processors the plan shares out (.NET's count, which follows container CPU limits).</summary>
    public static int Processors => Environment.ProcessorCount;

    public OrtThreadPlan ToPlan() => new(IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Processors / MaxConcurrentRuns), MaxConcurrentRuns, AllowSpinning);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var threads = (long)Math.Max(IntraOpThreads, 1) * MaxConcurrentRuns;
        if (threads > Processors)
        {
            yield return new ValidationResult(
                $"IntraOpThreads × MaxConcurrentRuns = {threads} exceeds the {Processors} processors: concurrent runs would oversubscribe the cores.",
                [nameof(IntraOpThreads), nameof(MaxConcurrentRuns)]);
        }
    }
}
