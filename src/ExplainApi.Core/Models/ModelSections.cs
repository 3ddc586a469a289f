using System.Text.Json.Serialization;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Models;

/// <summary>One ONNX graph of a version, named by its role (e.g. <c>model</c>, <c>generator</c>, <c>generator-b2a</c>).</summary>
public sealed record ModelGraph(string Role, string File)
{
    /// <summary>The one graph of a classifier (and of every schema-1 manifest).</summary>
    public const string ClassifierRole = "model";

    /// <summary>Roles and files are plain lower-case names: they name files in the version folder.</summary>
    public static bool IsValidRole(string? role) =>
        role is { Length: > 0 and <= 64 } && role.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && role[0] != '-';

    public static bool IsValidFile(string? file) =>
        file is { Length: > 5 } && file.EndsWith(".onnx", StringComparison.Ordinal) && IsValidRole(file[..^5]);
}

/// <summary>
/// Classifier-only manifest fields: the class of each logit, the CAM target layers and how logits become probabilities,
/// written only when it is <see cref="OutputActivation.Sigmoid"/> (multi-label), so an absent field is softmax.
/// </summary>
public sealed record ClassificationSection(
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> TargetLayers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] OutputActivation OutputActivation = OutputActivation.Softmax);

/// <summary>A registered model version that another one depends on (e.g. the classifier a difference-map model explains).</summary>
public sealed record LinkedModel(string Name, int Version);

/// <summary>One translation a difference-map model serves: <see cref="Graph"/> (a role) turns a <see cref="FromClass"/> image into a <see cref="ToClass"/> one.</summary>
public sealed record DifferenceDirection(string Name, string Graph, string FromClass, string ToClass);

/// <summary>
/// Difference-map fields: the method (<c>vagan</c>, <c>cyclegan</c>), the dataset's classes, the directions served and the
/// classifier that judges the translations (its probabilities on the original and on the translated image).
/// </summary>
public sealed record DifferenceMapSection(string Method, IReadOnlyList<string> ClassNames, IReadOnlyList<DifferenceDirection> Directions, LinkedModel? Classifier);

/// <summary>
/// Segmentation fields: <see cref="ClassNames"/> of the K per-pixel classes in logit order, <c>background</c> first (class
/// k ≥ 1 is the dataset's class k − 1); <see cref="Graph"/>, the role of the graph that maps <c>input</c> to
/// <c>logits</c> and <c>probabilities</c> [N, K, H, W]; <see cref="Masks"/>, the masks it was trained on (<c>ground-truth</c>,
/// <c>seeds</c>, <c>crf</c>, <c>ssdd</c>); <see cref="Classifier"/>, the multi-label classifier whose CAM seeds made pseudo-masks (written
/// only then, so ground-truth manifests, and those written before the link existed, read as null); <see cref="Stages"/>, the
/// pseudo-mask stages /segment can recompute (null in older manifests: <see cref="ServedStages"/> infers them);
/// <see cref="Ssdd"/>, static SSDD's difference detector and integration (only for static-SSDD versions).
/// </summary>
public sealed record SegmentationSection(
    IReadOnlyList<string> ClassNames,
    string Graph,
    string Masks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LinkedModel? Classifier = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Stages = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SsddSection? Ssdd = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PseudoMaskSettings? PseudoMasks = null)
{
    /// <summary>The stages recorded, or for a manifest written before they were: seed and crf when a classifier is linked.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ServedStages => Stages ?? (Classifier is null ? [] : [PseudoMaskStages.Seed, PseudoMaskStages.Crf]);
}

/// <summary>
/// Static SSDD as training integrated (Shimoda and Yanai, ICCV 2019, eq. 4–6): <see cref="Detector"/>, the role of the graph that
/// maps <c>input</c>, one-hot <c>knowledge</c> and <c>advice</c> [N, K, H, W] to their logits [N, 1, H, W]; the <see cref="Biases"/>
/// (b_dd, b_bg, erased ratio, sign) the integration used, so serving integrates exactly as training did.
/// </summary>
public sealed record SsddSection(string Detector, SsddBiases Biases);

/// <summary>
/// The seed α and CRF the pseudo-masks were made with, so /segment?stages= recomputes them as training did (a query's
/// CRF parameters still override); absent in manifests written before 2026-12-07 (PSA's α = 16 and pydensecrf's kernels).
/// </summary>
public sealed record PseudoMaskSettings(double Alpha, DenseCrfParameters Crf);
