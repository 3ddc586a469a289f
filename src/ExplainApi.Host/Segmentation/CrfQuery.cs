using System.ComponentModel;
using ExplainApi.Core.Segmentation;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The dense CRF's query parameters, shared by POST /v1/segmentations/refine and /v1/models/{name}/segment: its kernels
/// and iterations (Krähenbühl &amp; Koltun 2011; defaults as <see cref="DenseCrfParameters"/>, i.e. pydensecrf's usual ones,
/// except that /segment starts from the CRF a model's pseudo-masks were made with, <see cref="Over"/>).
/// </summary>
public readonly record struct CrfQuery(
    [property: FromQuery(Name = "iterations"), Description("CRF: mean-field iterations (default 10, on /segment the model's training CRF when its manifest records one; 0..50). 0 returns the input's own labelling.")] int? Iterations,
    [property: FromQuery(Name = "smoothnessSigma"), Description("CRF: θγ of the smoothness kernel, in pixels (default 3, on /segment the model's training CRF when its manifest records one; > 0).")] float? SmoothnessSigma,
    [property: FromQuery(Name = "smoothnessWeight"), Description("CRF: w2, the smoothness kernel's weight (default 3, on /segment the model's training CRF when its manifest records one; ≥ 0, 0 switches it off).")] float? SmoothnessWeight,
    [property: FromQuery(Name = "appearanceSigma"), Description("CRF: θα of the appearance kernel, in pixels (default 80, on /segment the model's training CRF when its manifest records one; > 0).")] float? AppearanceSigma,
    [property: FromQuery(Name = "appearanceIntensitySigma"), Description("CRF: θβ of the appearance kernel, in grey levels of the image on 0–255 (default 13, on /segment the model's training CRF when its manifest records one; > 0; pydensecrf's srgb).")] float? AppearanceIntensitySigma,
    [property: FromQuery(Name = "appearanceWeight"), Description("CRF: w1, the appearance kernel's weight (default 10, on /segment the model's training CRF when its manifest records one; ≥ 0, 0 switches it off).")] float? AppearanceWeight)
{
    // DenseCrfParameters names the paper's symbols; the client sent query parameters.
    private static readonly (string Symbol, string Name)[] Names =
        [("θγ", "smoothnessSigma"), ("w2", "smoothnessWeight"), ("θα", "appearanceSigma"), ("θβ", "appearanceIntensitySigma"), ("w1", "appearanceWeight")];

    public DenseCrfParameters Parameters => Over(DenseCrfParameters.Default);

    /// <summary>The query's parameters, each one it leaves out taken from <paramref name="defaults"/> (e.g. the CRF a model was trained with).</summary>
    public DenseCrfParameters Over(DenseCrfParameters defaults) => new(
        SmoothnessSigma ?? defaults.SmoothnessTheta,
        SmoothnessWeight ?? defaults.SmoothnessWeight,
        AppearanceSigma ?? defaults.AppearancePositionTheta,
        AppearanceIntensitySigma ?? defaults.AppearanceIntensityTheta,
        AppearanceWeight ?? defaults.AppearanceWeight,
        Iterations ?? defaults.Iterations);

    /// <summary>What is out of range (the CRF's own rules through <see cref="DenseCrfParameters.Validate"/>, naming the query parameter), or null.</summary>
    public string? Validate() =>
        Parameters.Validate() is { } error
            ? error + (Names.Where(n => error.Contains(n.Symbol, StringComparison.Ordinal)).Select(n => $" (query parameter {n.Name})").FirstOrDefault()
                ?? (error.Contains("iteration", StringComparison.OrdinalIgnoreCase) ? " (query parameter iterations)" : ""))
            : null;
}
