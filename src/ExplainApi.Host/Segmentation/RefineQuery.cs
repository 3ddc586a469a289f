using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The query of POST /v1/segmentations/refine besides the CRF's own parameters (<see cref="CrfQuery"/>): the label count,
/// the mask's confidence and whether to return the marginals.
/// </summary>
public readonly record struct RefineQuery(
    [property: FromQuery(Name = "labels"), Description("Number of classes C (2..255). Required with probabilities; with a mask, default: the largest class index in it + 1 (at least 2).")] int? Labels,
    [property: FromQuery(Name = "confidence"), Description("Mask only: the probability given to each pixel's class, the rest shared by the others (pydensecrf's gt_prob); 0 < confidence < 1, default 0.7.")] float? Confidence,
    [property: FromQuery(Name = "raw"), Description("JSON: also return the refined marginals as base64 little-endian float32 C×H×W.")] bool? Raw)
{
    public const int MaxLabels = 255;

    public const float DefaultConfidence = 0.7f;

    /// <summary>What is out of range, or null.</summary>
    public string? Validate() =>
        Labels is < 2 or > MaxLabels ? $"labels must be 2..{MaxLabels}." :
        Confidence is { } c && !(c > 0 && c < 1) ? "confidence must be a number strictly between 0 and 1." :
        null;
}
