using System.Text.Json.Serialization;
using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Models;

/// <summary>
/// What a model expects as input: shape, how values are normalised, and whether the server may resize
/// an image of another size (otherwise such a request is 422 naming the expected shape).
/// </summary>
public sealed record ModelInputSpec(int Channels, int Height, int Width, InputNormalization Normalization, bool AllowResize, string InputName = "input");

/// <summary>
/// models/{name}/{version}/manifest.json: everything needed to serve and to audit a model version (schema 2).
/// <see cref="Graphs"/> names each ONNX graph by role; <see cref="Files"/> maps every file of the version folder to its
/// SHA-256 (lower-case hex). Exactly the section of <see cref="Task"/> is present. Schema 1 (one model.onnx, classifier
/// fields at the top) is read as a classifier (<see cref="ModelManifestJson"/>). <see cref="Segmentation"/> is last, and only written
/// for a segmentation model, so the manifests of other tasks are unchanged.
/// </summary>
public sealed record ModelManifest(
    string Name,
    int Version,
    ModelTask Task,
    ModelInputSpec Input,
    IReadOnlyList<ModelGraph> Graphs,
    ClassificationSection? Classification,
    DifferenceMapSection? DifferenceMap,
    string? TrainingJob,
    string? Dataset,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> Files,
    int SchemaVersion = ModelManifest.CurrentSchemaVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SegmentationSection? Segmentation = null)
{
    public const int CurrentSchemaVersion = 2;
    public const string FileName = "manifest.json";
    public const string OnnxFileName = "model.onnx";
    public const string WeightsFileName = "weights.bin";

    /// <summary>The class names the model's outputs or translations refer to (empty for tasks without classes).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ClassNames => Classification?.ClassNames ?? DifferenceMap?.ClassNames ?? Segmentation?.ClassNames ?? [];

    /// <summary>The CAM target layers of a classifier (empty otherwise).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> TargetLayers => Classification?.TargetLayers ?? [];

    /// <summary>How a classifier's logits become probabilities (softmax for other tasks and for manifests without the field).</summary>
    [JsonIgnore]
    public OutputActivation OutputActivation => Classification?.OutputActivation ?? OutputActivation.Softmax;

    /// <summary>The first graph: the one plain inference runs when no graph is named.</summary>
    [JsonIgnore]
    public ModelGraph PrimaryGraph => Graphs[0];

    /// <summary>The graph of <paramref name="role"/>, or null.</summary>
    public ModelGraph? Graph(string role) => Graphs.FirstOrDefault(g => g.Role == role);

    /// <summary>Why this manifest cannot be served as written (graph roles, files, task section), or null.</summary>
    public string? Inconsistency()
    {
        if (Graphs is null || Graphs.Count == 0)
        {
            return "it names no ONNX graph";
        }

        foreach (var graph in Graphs)
        {
            if (!ModelGraph.IsValidRole(graph.Role) || !ModelGraph.IsValidFile(graph.File))
            {
                return $"graph '{graph.Role}' ({graph.File}) is not a valid role and file name";
            }

            if (Files is null || !Files.ContainsKey(graph.File))
            {
                return $"graph file {graph.File} is not listed in its files";
            }
        }

        if (Graphs.Select(g => g.Role).Distinct(StringComparer.Ordinal).Count() != Graphs.Count)
        {
            return "two graphs have the same role";
        }

        return Task switch
        {
            ModelTask.Classification when Classification is null => "a classification manifest needs its classification section",
            ModelTask.DifferenceMap when DifferenceMap is null => "a difference-map manifest needs its differenceMap section",
            ModelTask.DifferenceMap when DifferenceMap!.Directions.FirstOrDefault(d => Graph(d.Graph) is null) is { } orphan =>
                $"direction '{orphan.Name}' names graph '{orphan.Graph}', which the version does not have",
            ModelTask.Segmentation when Segmentation is null => "a segmentation manifest needs its segmentation section",
            ModelTask.Segmentation when Graph(Segmentation!.Graph) is null => $"the segmentation section names graph '{Segmentation.Graph}', which the version does not have",
            ModelTask.Segmentation when Segmentation.ClassNames is not { Count: >= 2 } => "a segmentation section needs at least two class names (background first)",
            ModelTask.Segmentation when Segmentation.Ssdd is { } ssdd && Graph(ssdd.Detector) is null => $"the ssdd section names graph '{ssdd.Detector}', which the version does not have",
            _ => null,
        };
    }
}
