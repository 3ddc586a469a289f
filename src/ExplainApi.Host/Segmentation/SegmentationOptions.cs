using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The "ExplainApi:Segmentation" section: what one CRF refinement may cost. Work is H × W × labels × iterations (the
/// mean-field updates); size is H × W × labels, which sets the float buffers the CRF and the probabilities part hold.
/// </summary>
public sealed class SegmentationOptions
{
    public const string Section = "ExplainApi:Segmentation";

    /// <summary>
    /// The most work one refinement may ask for (422 refinement-too-costly beyond). 4·10⁸: 2 labels × 4096² × 12 iterations,
    /// 21 labels × 1024² × 18. Mean field measured ~70 ns per unit on the busy 2-core machine (1024² × 2 × 10: 0.7 s lattice,
    /// 1.4 s inference), so about 30 s at the limit. A unit costs about what a pass-pixel does (RISE: ~100 ns), so the work
    /// also counts 1:1 in the explanation slots, work bucket and deadline.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxWorkPerRequest { get; set; } = 400_000_000;

    /// <summary>
    /// The most label-pixels (H × W × labels) one refinement may hold (422 refinement-too-costly beyond): 32 Mi = 2 × 4096²,
    /// about 128 MiB per float buffer (the probabilities part, the unaries, the marginals: ~1 GiB in all). The probabilities
    /// part may be at most 4 bytes per label-pixel.
    /// </summary>
    [Range(1, 1L << 28)]
    public long MaxLabelPixels { get; set; } = 32L * 1024 * 1024;

    public long MaxProbabilityBytes => MaxLabelPixels * sizeof(float);
}
