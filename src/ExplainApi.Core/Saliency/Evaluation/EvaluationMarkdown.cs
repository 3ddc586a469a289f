using System.Globalization;
using System.Text;
using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Saliency.Evaluation;

/// <summary>A <see cref="SaliencyEvaluationTable"/> as a Markdown section: what was evaluated, then one row per method.</summary>
public static class EvaluationMarkdown
{
    public static string Write(SaliencyEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var s = table.Subject;
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"Model `{s.Model}`{(s.ModelVersion is { } v ? $" version {v}" : "")} on `{s.Dataset}`, {s.Subset}: ")
            .Append(culture, $"{table.CandidateImages} images with a ground-truth region, each explained for its true class ")
            .Append(culture, $"(model accuracy on the images evaluated: {Number(table.ModelAccuracy)}). ")
            .Append(culture, $"Pointing game tolerance {table.PointingTolerance} px; energy on the min–max normalised map; NCC of the raw map with the mask; ")
            .Append(culture, $"deletion/insertion in {table.DeletionSteps} steps, baseline {table.DeletionBaseline.ToString(culture)}, insertion from a σ = 5 blur. ")
            .AppendLine("Values are mean ± std over images; ↑ higher is better, ↓ lower is better. s/image is the map alone.")
            .AppendLine()
            .AppendLine("| method | images | pointing game ↑ | energy pointing game ↑ | NCC signed ↑ | NCC absolute ↑ | deletion AUC ↓ | insertion AUC ↑ | s/image |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in table.Methods)
        {
            if (row.Unsupported is not null)
            {
                text.AppendLine(culture, $"| {row.Method} | 0 | not supported: {row.Unsupported} | | | | | | |");
                continue;
            }

            text.AppendLine(culture,
                $"| {row.Method}{(row.SignedMap ? " (signed)" : "")} | {row.Images} | {Summary(row.PointingGame)} | {Summary(row.EnergyPointingGame)} | {Summary(row.NccSigned)} | {Summary(row.NccAbsolute)} | {Summary(row.DeletionAuc)} | {Summary(row.InsertionAuc)} | {row.SecondsPerImage.ToString("0.000", culture)} |");
        }

        return text.ToString();
    }

    internal static string Summary(MetricSummary m) =>
        m.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{m.Mean:0.000} ± {m.StandardDeviation:0.000}");

    internal static string Number(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
