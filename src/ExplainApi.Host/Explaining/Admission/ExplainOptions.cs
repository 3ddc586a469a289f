using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>
/// The "ExplainApi:Explain" section: how many explanations (both saliency routes) compute at once and how many
/// wait, in arrival order, for a slot (a request beyond both is answered 503 explain-busy with Retry-After), what
/// one request may cost and how long it may compute. Costs are in pass-pixels (<see cref="Core.Saliency.Explaining.ExplanationCost"/>).
/// </summary>
public sealed class ExplainOptions
{
    public const string Section = "ExplainApi:Explain";

    /// <summary>
    /// Explanation slots; a request takes one per <see cref="WorkPerSlot"/> of its cost. Default four per processor: the cores
    /// are shared out by the ONNX Runtime thread plan (ExplainApi:OnnxThreads), and only admitted requests can meet in a dynamic batch.
    /// </summary>
    [Range(1, 4096)]
    public int MaxConcurrentExplanations { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>Slots that waiting explanations (FIFO) may ask for together; 0 = none wait.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedExplanations { get; set; } = 32;

    /// <summary>The Retry-After (seconds) of an explain-busy answer.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;

    /// <summary>
    /// The most one request may cost (422 explanation-too-costly beyond). 4·10⁹ admits any one method at its defaults
    /// on 16 images at 224² (RISE: 16 × 2001 × 224² ≈ 1.6·10⁹; Score-CAM with K = 2048 about the same) and refuses the
    /// 16-image all-methods request with 10 000 RISE masks, 500 SmoothGrad samples, 1 000 IG steps and 1-pixel occlusion (≈ 5·10¹⁰).
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxWorkPerRequest { get; set; } = 4_000_000_000;

    /// <summary>The cost one slot stands for: a request takes ⌈cost / WorkPerSlot⌉ slots, at least one, at most all. 10⁸ ≈ RISE at its defaults on one 224² image.</summary>
    [Range(1, long.MaxValue)]
    public long WorkPerSlot { get; set; } = 100_000_000;

    /// <summary>How long one explanation may compute once admitted (504 explanation-deadline-exceeded beyond; the work is stopped).</summary>
    [Range(1, 86_400)]
    public int DeadlineSeconds { get; set; } = 120;
}
