using ExplainApi.Core.Models;
using ExplainApi.Host.Models;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// The answer of POST /v1/models/{name}/difference-map in JSON: the direction, the display convention
/// (<paramref name="DisplaySign"/> × (translated − input), stated in <paramref name="Display"/>), per image its maps and
/// translation and the linked classifier's verdict, the model's manifest and the classifier used.
/// </summary>
public sealed record DifferenceMapResponse(
    string Model,
    int Version,
    DifferenceDirection Direction,
    int DisplaySign,
    string Display,
    IReadOnlyList<DifferenceMapImage> Images,
    LinkedClassifierView? Classifier,
    ModelManifest Manifest,
    DifferenceMapTimings Timings);

/// <summary>
/// One uploaded image (in upload order). <paramref name="Map"/>: the display map (mean over channels) as a base64 RGB PNG
/// on a diverging colour map at the uploaded image's size (<paramref name="MapShape"/> H, W), zero at its neutral centre
/// and ±<paramref name="MapScale"/> at its ends. <paramref name="Raw"/> (raw=true): translated − input as base64
/// little-endian float32 at the model's input size (<paramref name="RawShape"/> C, H, W). <paramref name="Translated"/>: the
/// translation as a base64 PNG at the model's size, denormalised for display. Probabilities are in class-index order.
/// </summary>
public sealed record DifferenceMapImage(
    int Index,
    byte[] Map,
    IReadOnlyList<int> MapShape,
    float MapScale,
    byte[]? Raw,
    IReadOnlyList<int> RawShape,
    byte[] Translated,
    IReadOnlyList<ClassProbability>? OriginalProbabilities,
    IReadOnlyList<ClassProbability>? TranslatedProbabilities,
    string? OriginalClass,
    string? TranslatedClass,
    bool? ClassFlipped);

/// <summary>The classifier the model links to; <paramref name="Reason"/> says why no probabilities were computed (e.g. it was deleted).</summary>
public sealed record LinkedClassifierView(string Name, int Version, bool Used, string? Reason);

public sealed record DifferenceMapTimings(double TranslateMilliseconds, double ClassifyMilliseconds, double TotalMilliseconds);
