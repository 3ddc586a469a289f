using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExplainApi.Host.Models;

/// <summary>
/// A KServe V2 (Open Inference Protocol) style explain request: one FP32 input tensor [N, C, H, W] already normalised
/// as the model expects (no image decoding here), and parameters <c>method</c> (a name, a list of names, or "all"),
/// <c>target</c> (class name or index), <c>raw</c> and <c>seed</c>.
/// </summary>
public sealed record KServeExplainRequest(string? Id, IReadOnlyList<KServeInputTensor> Inputs, IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <summary>An input tensor; <paramref name="Data"/> is a flat (or nested) row-major array of numbers.</summary>
public sealed record KServeInputTensor(string Name, IReadOnlyList<long> Shape, string Datatype, JsonElement Data);

/// <summary>
/// The answer: <c>probabilities</c> FP32 [N, classes], <c>target_class</c> INT64 [N], and per method its normalised map
/// FP32 [N, H, W] under the method's name (plus <c>{method}_raw</c> with raw=true); the parameters hold one
/// explanation manifest per method and the timings.
/// </summary>
public sealed record KServeExplainResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<KServeOutputTensor> Outputs,
    KServeExplainParameters Parameters);

public sealed record KServeOutputTensor(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<double> Data);

public sealed record KServeExplainParameters(IReadOnlyList<ExplanationManifest> Manifests, SaliencyTimings Timings);
