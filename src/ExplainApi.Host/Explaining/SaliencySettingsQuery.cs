using System.ComponentModel;
using ExplainApi.Core.Saliency.Explaining;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Explaining;

/// <summary>Per-request settings of the expensive methods (METHODS.md §1 defaults when absent) and the seed of the random ones.</summary>
public readonly record struct SaliencySettingsQuery(
    [property: FromQuery(Name = "seed"), Description("Seed of the random methods (RISE, SmoothGrad): the same seed gives the same map. Default 0.")] ulong? Seed,
    [property: FromQuery(Name = "riseMasks"), Description("RISE: number of random masks (default 2000; 1..10000). Fewer is faster and noisier.")] int? RiseMasks,
    [property: FromQuery(Name = "smoothGradSamples"), Description("SmoothGrad: noisy copies (default 50; 1..500).")] int? SmoothGradSamples,
    [property: FromQuery(Name = "integratedGradientsSteps"), Description("Integrated Gradients: steps from the zero baseline (default 64; 1..1000).")] int? IntegratedGradientsSteps,
    [property: FromQuery(Name = "occlusionPatch"), Description("Occlusion: patch side in pixels (default 1/8 of the shorter side); the stride is half of it.")] int? OcclusionPatch,
    [property: FromQuery(Name = "riseScoring"), Description("RISE: 'centered' (default; E[p | pixel kept] − E[p], signed, free of the mask-count noise that flattens a confident model's map) or 'paper' (Petsiuk 2018 eq. 6).")] string? RiseScoring = null,
    [property: FromQuery(Name = "scoreCamMode"), Description("Score-CAM: 'exact' (default; one masked forward per target-layer channel) or 'fast' (only the scoreCamChannels channels of highest activation variance on the image; the others get the mean weight of the lower half of those run).")] string? ScoreCamMode = null,
    [property: FromQuery(Name = "scoreCamChannels"), Description("Fast Score-CAM: channels kept k (default K/16, at least 16; 1..8192): k masked forwards instead of K.")] int? ScoreCamChannels = null)
{
    /// <summary>What is out of range, or null.</summary>
    public string? Validate() =>
        RiseMasks is < 1 or > 10_000 ? "riseMasks must be 1..10000."
        : SmoothGradSamples is < 1 or > 500 ? "smoothGradSamples must be 1..500."
        : IntegratedGradientsSteps is < 1 or > 1000 ? "integratedGradientsSteps must be 1..1000."
        : OcclusionPatch is < 1 or > 4096 ? "occlusionPatch must be 1..4096."
        : RiseScoring is not (null or "centered" or "paper") ? "riseScoring must be 'centered' or 'paper'."
        : ScoreCamMode is not (null or "exact" or "fast") ? "scoreCamMode must be 'exact' or 'fast'."
        : ScoreCamChannels is < 1 or > Core.Saliency.Perturbation.ScoreCamChannels.Maximum ? $"scoreCamChannels must be 1..{Core.Saliency.Perturbation.ScoreCamChannels.Maximum}."
        : null;

    public SaliencyOptions ToOptions()
    {
        var defaults = SaliencyOptions.Default;
        return defaults with
        {
            Seed = Seed ?? defaults.Seed,
            RiseMasks = RiseMasks ?? defaults.RiseMasks,
            SmoothGradSamples = SmoothGradSamples ?? defaults.SmoothGradSamples,
            IntegratedGradientsSteps = IntegratedGradientsSteps ?? defaults.IntegratedGradientsSteps,
            OcclusionPatch = OcclusionPatch ?? defaults.OcclusionPatch,
            RiseScoring = RiseScoring == "paper" ? Core.Saliency.Perturbation.RiseScoring.Paper : defaults.RiseScoring,
            ScoreCamMode = ScoreCamMode == "fast" ? Core.Saliency.Perturbation.ScoreCamMode.Fast : defaults.ScoreCamMode,
            ScoreCamChannels = ScoreCamChannels ?? defaults.ScoreCamChannels,
        };
    }
}
