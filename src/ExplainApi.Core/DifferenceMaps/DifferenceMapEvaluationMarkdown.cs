using System.Globalization;
using System.Text;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// A <see cref="DifferenceMapEvaluationTable"/> as Markdown: the directions, then one side-by-side table of NCC and energy
/// inside the ground truth for the maps and each saliency method on the same images, then the full saliency table.
/// </summary>
public static class DifferenceMapEvaluationMarkdown
{
    public static string Write(DifferenceMapEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (s, culture, text) = (table.Subject, CultureInfo.InvariantCulture, new StringBuilder());
        text.Append(culture, $"Difference-map model `{s.Model}`{(s.ModelVersion is { } v ? $" version {v}" : "")} ({table.Method}) on `{s.Dataset}`, {s.Subset}: ")
            .Append("NCC of the map (translated − input) with the ground-truth change (−mask) per image with a ground-truth region; ")
            .Append(culture, $"flip rate of classifier {(table.Classifier is { } c ? $"`{c.Name}` version {c.Version}" : "(none)")} on the translations; ")
            .AppendLine("energy inside = share of Σ|map| inside the ground truth (1 − it lies outside). Values are mean ± std over images.")
            .AppendLine()
            .AppendLine("| direction | images | NCC signed ↑ | NCC absolute ↑ | per subtype (signed / absolute) | flip rate ↑ | mean abs map | energy inside ↑ | s/image |")
            .AppendLine("|---|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var d in table.Directions)
        {
            var subtypes = string.Join("; ", d.Subtypes.Select(t => $"{t.Subtype}: {EvaluationMarkdown.Summary(t.NccSigned)} / {EvaluationMarkdown.Summary(t.NccAbsolute)}"));
            text.AppendLine(culture,
                $"| {d.Direction} ({d.FromClass} → {d.ToClass}) | {d.Images} | {EvaluationMarkdown.Summary(d.NccSigned)} | {EvaluationMarkdown.Summary(d.NccAbsolute)} | {subtypes} | {EvaluationMarkdown.Number(d.FlipRate)} | {EvaluationMarkdown.Summary(d.MeanAbsoluteMap)} | {EvaluationMarkdown.Summary(d.EnergyInside)} | {EvaluationMarkdown.Number(d.SecondsPerImage)} |");
        }

        if (table.Saliency is { } saliency)
        {
            text.AppendLine().AppendLine("Side by side on the same images (saliency: energy pointing game on the min–max normalised map):").AppendLine()
                .AppendLine("| map | images | NCC signed ↑ | NCC absolute ↑ | energy inside ↑ |").AppendLine("|---|---:|---:|---:|---:|");
            foreach (var d in table.Directions)
            {
                text.AppendLine(culture, $"| {table.Method} {d.Direction} | {d.Images} | {EvaluationMarkdown.Summary(d.NccSigned)} | {EvaluationMarkdown.Summary(d.NccAbsolute)} | {EvaluationMarkdown.Summary(d.EnergyInside)} |");
            }

            foreach (var m in saliency.Methods.Where(m => m.Unsupported is null))
            {
                text.AppendLine(culture, $"| {m.Method} | {m.Images} | {EvaluationMarkdown.Summary(m.NccSigned)} | {EvaluationMarkdown.Summary(m.NccAbsolute)} | {EvaluationMarkdown.Summary(m.EnergyPointingGame)} |");
            }

            text.AppendLine().AppendLine("The classifier's saliency methods in full:").AppendLine().Append(EvaluationMarkdown.Write(saliency));
        }

        return text.ToString();
    }
}
