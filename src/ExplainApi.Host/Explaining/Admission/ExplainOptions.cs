using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>
/// The "ExplainApi:Explain" section: how many explanations (both saliency routes) compute at once and how many
/// wait, in arrival order, for a slot. A request beyond both is answered 503 explain-busy with Retry-After.
/// </summary>
public sealed class ExplainOptions
{
    public const string Section = "ExplainApi:Explain";

    /// <summary>Explanations computing at the same time; default one per processor.</summary>
    [Range(1, 4096)]
    public int MaxConcurrentExplanations { get; set; } = Environment.ProcessorCount;

    /// <summary>Explanations waiting (FIFO) for a slot; 0 = none wait.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedExplanations { get; set; } = 32;

    /// <summary>The Retry-After (seconds) of an explain-busy answer.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;
}
