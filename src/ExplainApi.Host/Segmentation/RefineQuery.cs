using System.ComponentModel;
using ExplainApi.Core.Segmentation;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The query of POST /v1/segmentations/refine: the label count, the mask's confidence and the CRF's kernels and
/// iterations (Krähenbühl &amp; Koltun 2011; defaults as <see cref="DenseCrfParameters"/>, i.e. pydensecrf's usual ones).
/// </summary>
public readonly record struct RefineQuery(
    [property: FromQuery(Name = "labels"), Description("Number of classes C (2..255). Required with probabilities; with a mask, default: the largest class index in it + 1 (at least 2).")] int? Labels,
    [property: FromQuery(Name = "confidence"), Description("Mask only: the probability given to each pixel's class, the rest shared by the others (pydensecrf's gt_prob); 0 < confidence < 1, default 0.7.")] float? Confidence,
    [property: FromQuery(Name = "iterations"), Description("Mean-field iterations (default 10; 0..50). 0 returns the input's own labelling.")] int? Iterations,
    [property: FromQuery(Name = "smoothnessSigma"), Description("θγ of the smoothness kernel, in pixels (default 3; > 0).")] float? SmoothnessSigma,
    [property: FromQuery(Name = "smoothnessWeight"), Description("w2, the smoothness kernel's weight (default 3; ≥ 0, 0 switches it off).")] float? SmoothnessWeight,
    [property: FromQuery(Name = "appearanceSigma"), Description("θα of the appearance kernel, in pixels (default 80; > 0).")] float? AppearanceSigma,
    [property: FromQuery(Name = "appearanceIntensitySigma"), Description("θβ of the appearance kernel, in grey levels of the windowed image on 0–255 (default 13; > 0; pydensecrf's srgb).")] float? AppearanceIntensitySigma,
    [property: FromQuery(Name = "appearanceWeight"), Description("w1, the appearance kernel's weight (default 10; ≥ 0, 0 switches it off).")] float? AppearanceWeight,
    [property: FromQuery(Name = "raw"), Description("JSON: also return the refined marginals as base64 little-endian float32 C×H×W.")] bool? Raw)
{
    public const int MaxLabels = 255;

    public const float DefaultConfidence = 0.7f;

    // DenseCrfParameters names the paper's symbols; the client sent query parameters.
    private static readonly (string Symbol, string Name)[] Names =
        [("θγ", "smoothnessSigma"), ("w2", "smoothnessWeight"), ("θα", "appearanceSigma"), ("θβ", "appearanceIntensitySigma"), ("w1", "appearanceWeight")];

    public DenseCrfParameters Parameters
    {
        get
        {
            var defaults = DenseCrfParameters.Default;
            return new DenseCrfParameters(
                SmoothnessSigma ?? defaults.SmoothnessTheta,
                SmoothnessWeight ?? defaults.SmoothnessWeight,
                AppearanceSigma ?? defaults.AppearancePositionTheta,
                AppearanceIntensitySigma ?? defaults.AppearanceIntensityTheta,
                AppearanceWeight ?? defaults.AppearanceWeight,
                Iterations ?? defaults.Iterations);
        }
    }

    /// <summary>What is out of range (the CRF's own rules through <see cref="DenseCrfParameters.Validate"/>), or null.</summary>
    public string? Validate() =>
        Labels is < 2 or > MaxLabels ? $"labels must be 2..{MaxLabels}." :
        Confidence is { } c && !(c > 0 && c < 1) ? "confidence must be a number strictly between 0 and 1." :
        Parameters.Validate() is { } error ? error + Names.Where(n => error.Contains(n.Symbol, StringComparison.Ordinal)).Select(n => $" (query parameter {n.Name})").FirstOrDefault() :
        null;
}
