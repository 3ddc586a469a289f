using System.Text.Json.Nodes;
using ExplainApi.Core.Imaging.Nifti;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>What a <see cref="DifferenceSummary"/> was computed from, echoed into its JSON.</summary>
/// <param name="ClassifierLinked">False when the job named another classifier than the model's link (an independent judge).</param>
public sealed record DifferenceSummarySubject(string Model, int ModelVersion, string Method, string Dataset, string Subset, LinkedModel? Classifier,
    bool ClassifierLinked = true);

/// <summary>
/// A <see cref="DifferenceSummary"/> as files: the mean map as a PNG on the diverging colour map (zero at its neutral
/// centre) and the std on inferno (it is never negative), both as float32 NIfTI-1 (W×H, ×C for colour images), and
/// <see cref="Json"/> with the confusion matrices and the file names (<see cref="Markdown"/> the same as a table).
/// </summary>
public static class DifferenceSummaryFiles
{
    public const string Json = "summary.json", Markdown = "summary.md", MeanPng = "mean.png", StdPng = "std.png", MeanNifti = "mean.nii", StdNifti = "std.nii";

    public static IReadOnlyList<string> Files { get; } = [MeanPng, StdPng, MeanNifti, StdNifti, Markdown, Json];

    /// <summary>The PNGs show the mean in the method's display sign (<see cref="DifferenceMapDisplay"/>), as the route draws a map; the NIfTI keep translated − input.</summary>
    public static IEnumerable<(string File, byte[] Bytes)> Images(DifferenceSummary summary, string method)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var (h, w, c) = (summary.Height, summary.Width, summary.Channels);
        yield return (MeanPng, HeatmapRenderer.RenderPng(DifferenceMapDisplay.Plane(summary.Mean, c, h, w, DifferenceMapDisplay.Sign(method)), h, w, ColorMap.CoolWarm));
        yield return (StdPng, HeatmapRenderer.RenderPng(MapChannels.Mean(summary.StandardDeviation, c), h, w, ColorMap.Inferno));
        yield return (MeanNifti, NiftiFloatWriter.Write(summary.Mean, w, h, c));
        yield return (StdNifti, NiftiFloatWriter.Write(summary.StandardDeviation, w, h, c));
    }

    public static string ToJson(DifferenceSummary summary, DifferenceSummarySubject subject)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(subject);
        var d = summary.Direction;
        return new JsonObject
        {
            ["schemaVersion"] = 1,
            ["model"] = subject.Model,
            ["modelVersion"] = subject.ModelVersion,
            ["method"] = subject.Method,
            ["dataset"] = subject.Dataset,
            ["subset"] = subject.Subset,
            ["direction"] = new JsonObject { ["name"] = d.Name, ["fromClass"] = d.FromClass, ["toClass"] = d.ToClass },
            ["images"] = summary.Images,
            ["shape"] = new JsonArray(summary.Channels, summary.Height, summary.Width),
            ["meanAbsoluteMean"] = EvaluationJson.Finite(summary.Mean.Length == 0 ? double.NaN : summary.Mean.Average(v => Math.Abs(v))),
            ["classifier"] = subject.Classifier is { } c
                ? new JsonObject { ["name"] = c.Name, ["version"] = c.Version, ["source"] = subject.ClassifierLinked ? "linked" : "options" }
                : null,
            ["confusionBefore"] = Matrix(summary.Before),
            ["confusionAfter"] = Matrix(summary.After),
            ["flipRate"] = EvaluationJson.Finite(summary.FlipRate),
            ["files"] = new JsonObject { ["meanPng"] = MeanPng, ["stdPng"] = StdPng, ["meanNifti"] = MeanNifti, ["stdNifti"] = StdNifti },
        }.ToJsonString(EvaluationJson.Indented);
    }

    /// <summary>Rows: the class each image should be (its label before, the target class after); columns: the classifier's decision.</summary>
    private static JsonObject? Matrix(ConfusionMatrix? matrix) => matrix is null ? null : new JsonObject
    {
        ["classNames"] = new JsonArray([.. matrix.ClassNames.Select(n => JsonValue.Create(n))]),
        ["counts"] = new JsonArray([.. matrix.Counts.Select(row => new JsonArray([.. row.Select(v => JsonValue.Create(v))]))]),
        ["accuracy"] = EvaluationJson.Finite(matrix.Accuracy),
    };
}
