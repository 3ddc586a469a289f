using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Models;

/// <summary>
/// What a model expects as input: shape, how values are normalised, and whether the server may resize
/// an image of another size (otherwise such a request is 422 naming the expected shape).
/// </summary>
public sealed record ModelInputSpec(int Channels, int Height, int Width, InputNormalization Normalization, bool AllowResize, string InputName = "input");

/// <summary>
/// models/{name}/{version}/manifest.json: everything needed to serve and to audit a model version.
/// <see cref="Files"/> maps each file in the version folder to its SHA-256 (lower-case hex).
/// </summary>
public sealed record ModelManifest(
    string Name,
    int Version,
    string Task,
    ModelInputSpec Input,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> TargetLayers,
    string? TrainingJob,
    string? Dataset,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> Files,
    int SchemaVersion = ModelManifest.CurrentSchemaVersion)
{
    public const int CurrentSchemaVersion = 1;
    public const string FileName = "manifest.json";
    public const string OnnxFileName = "model.onnx";
    public const string WeightsFileName = "weights.bin";
}
