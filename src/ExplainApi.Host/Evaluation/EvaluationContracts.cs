using System.ComponentModel;

namespace ExplainApi.Host.Evaluation;

/// <summary>POST /v1/models/{name}/evaluate body; every field is optional.</summary>
public sealed record EvaluationRequest(
    [property: Description("Model version; default the latest.")] int? Version,
    [property: Description("Dataset with ground-truth masks (per-pixel classes for a segmentation model); default the dataset the model was trained on.")] string? Dataset,
    [property: Description("test (default), validation, train or all: the stratified standard split (DatasetSplits.Standard) of the dataset.")] string? Split,
    [property: Description("Seed of the split; default 1, the seed the classifier's testFraction split uses by default.")] int? SplitSeed,
    [property: Description("Saliency methods by name; default all 14 (those the model cannot run are reported as unsupported). Not for segmentation models (400).")] IReadOnlyList<string>? Methods,
    [property: Description("Images (with a non-empty mask) per method, or images of the split a segmentation model labels; default 100.")] int? Images,
    [property: Description("Images for the expensive methods (scorecam, rise, occlusion, smoothgrad, integratedgradients); default 25, at most images. Not for segmentation models (400).")] int? ExpensiveImages,
    [property: Description("Seed of the random methods (RISE, SmoothGrad); default 0.")] int? Seed);
