using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.Segmentation;

/// <summary>A <see cref="SegmentationEvaluationTable"/> as JSON: the subject like <see cref="EvaluationJson"/>, one row per class, the confusion matrix [truth][prediction].</summary>
public static class SegmentationEvaluationJson
{
    public static string Write(SegmentationEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (s, m) = (table.Subject, table.Metrics);
        return new JsonObject
        {
            ["schemaVersion"] = SegmentationEvaluationTable.SchemaVersion,
            ["task"] = "segmentation",
            ["model"] = s.Model,
            ["modelVersion"] = s.ModelVersion,
            ["dataset"] = s.Dataset,
            ["subset"] = s.Subset,
            ["images"] = m.Images,
            ["pixels"] = m.Pixels,
            ["meanIoU"] = m.MeanIou,
            ["meanDice"] = m.MeanDice,
            ["pixelAccuracy"] = m.PixelAccuracy,
            ["secondsPerImage"] = EvaluationJson.Finite(table.SecondsPerImage),
            ["classes"] = new JsonArray([.. m.Labels.Select(l => new JsonObject
            {
                ["class"] = table.ClassNames[l.Label], ["index"] = l.Label, ["iou"] = l.Iou, ["dice"] = l.Dice,
                ["truthPixels"] = l.TruthPixels, ["predictedPixels"] = l.PredictedPixels, ["truePositives"] = l.TruePositives,
            })]),
            ["confusion"] = new JsonArray([.. m.Confusion.Select(row => new JsonArray([.. row.Select(c => JsonValue.Create(c))]))]),
        }.ToJsonString(EvaluationJson.Indented);
    }
}

/// <summary>A <see cref="SegmentationEvaluationTable"/> as Markdown: one row per class (IoU, Dice), then mIoU, mean Dice and pixel accuracy.</summary>
public static class SegmentationEvaluationMarkdown
{
    public static string Write(SegmentationEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (s, m, culture, text) = (table.Subject, table.Metrics, CultureInfo.InvariantCulture, new StringBuilder());
        text.Append(culture, $"Segmentation model `{s.Model}`{(s.ModelVersion is { } v ? $" version {v}" : "")} on `{s.Dataset}`, {s.Subset}: ")
            .Append(culture, $"{m.Images} images, {m.Pixels} pixels, one confusion matrix over the split; IoU = TP / (TP + FP + FN), Dice = 2TP / (2TP + FP + FN) per class, ")
            .AppendLine("each class reported on its own row (n/a: in neither truth nor prediction); mIoU and mean Dice average the classes present, background included.")
            .AppendLine()
            .AppendLine("| class | truth pixels | predicted pixels | IoU ↑ | Dice ↑ |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var l in m.Labels)
        {
            text.AppendLine(culture, $"| {table.ClassNames[l.Label]} | {l.TruthPixels} | {l.PredictedPixels} | {Number(l.Iou)} | {Number(l.Dice)} |");
        }

        return text.AppendLine()
            .AppendLine(culture, $"mIoU {Number(m.MeanIou)} · mean Dice {Number(m.MeanDice)} · pixel accuracy {Number(m.PixelAccuracy)} · {EvaluationMarkdown.Number(table.SecondsPerImage)} s/image")
            .ToString();
    }

    private static string Number(double? value) => EvaluationMarkdown.Number(value ?? double.NaN);
}
