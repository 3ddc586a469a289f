namespace ExplainApi.Host.Models;

/// <summary>The answer of POST /v1/models/{name}/saliency in JSON: per image its predictions and a map per method.</summary>
public sealed record SaliencyResponse(string Model, int Version, IReadOnlyList<ImageExplanation> Images, SaliencyTimings Timings);

/// <summary>One uploaded image (in upload order): class probabilities (highest first), the class explained, the maps.</summary>
public sealed record ImageExplanation(int Index, IReadOnlyList<ClassProbability> Predictions, ClassProbability Target, IReadOnlyList<MethodExplanation> Explanations);

public sealed record ClassProbability(int Index, string Class, double Probability);

/// <summary>
/// One method's map: <paramref name="Png"/> is the normalised map as a base64 16-bit grey PNG at the uploaded
/// image's size; <paramref name="Raw"/> (with raw=true) the raw map as base64 little-endian float32 at the model's
/// input size (<paramref name="RawShape"/> H, W). <paramref name="IsSigned"/> maps (negative = evidence against the class) are scaled
/// symmetrically, 0 ↦ mid-grey.
/// </summary>
public sealed record MethodExplanation(
    string Method,
    byte[] Png,
    IReadOnlyList<int> PngShape,
    byte[]? Raw,
    IReadOnlyList<int> RawShape,
    bool IsSigned,
    IReadOnlyDictionary<string, double> Diagnostics,
    double Milliseconds,
    ExplanationManifest Manifest);

/// <summary>What a map was computed from, so it can be audited and reproduced.</summary>
public sealed record ExplanationManifest(
    int SchemaVersion,
    string Model,
    int Version,
    string Method,
    string? TargetLayer,
    IReadOnlyList<int> InputShape,
    int TargetClass,
    string TargetClassName,
    string Normalization,
    bool Resized,
    ulong Seed)
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>Milliseconds of the shared batched passes (one for all images) and of the whole computation.</summary>
public sealed record SaliencyTimings(double ForwardMilliseconds, double GradientMilliseconds, double TotalMilliseconds);
