using System.Globalization;
using System.Text;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>A <see cref="DifferenceSummary"/> as Markdown: what was summarised, then the confusion matrices before and after translation side by side (the brain-age study's Table 1).</summary>
public static class DifferenceSummaryMarkdown
{
    public static string Write(DifferenceSummary summary, DifferenceSummarySubject subject)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(subject);
        var (d, culture, text) = (summary.Direction, CultureInfo.InvariantCulture, new StringBuilder());
        text.Append(culture, $"Difference-map model `{subject.Model}` version {subject.ModelVersion} ({subject.Method}), direction {d.Name} ({d.FromClass} → {d.ToClass}), ")
            .Append(culture, $"on the {summary.Images} {d.FromClass} images of `{subject.Dataset}`, {subject.Subset}: mean and std of translated − input in ")
            .AppendLine(culture, $"{DifferenceSummaryFiles.MeanPng}/{DifferenceSummaryFiles.MeanNifti} and {DifferenceSummaryFiles.StdPng}/{DifferenceSummaryFiles.StdNifti}.");
        if (summary.Before is not { } before || summary.After is not { } after || subject.Classifier is not { } classifier)
        {
            return text.AppendLine().AppendLine("No classifier is linked: no confusion matrices.").ToString();
        }

        text.AppendLine()
            .AppendLine(culture, $"Classifier `{classifier.Name}` version {classifier.Version}{(subject.ClassifierLinked ? "" : " (named for this summary, not the model's link)")}; rows: the class an image should be (its label before, {d.ToClass} after); columns: predicted. Flip rate {EvaluationMarkdown.Number(summary.FlipRate)}.")
            .AppendLine()
            .Append("| expected | ").Append(string.Join(" | ", before.ClassNames.Select(c => $"before: {c}"))).Append(" | ")
            .Append(string.Join(" | ", after.ClassNames.Select(c => $"after: {c}"))).AppendLine(" |")
            .Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", before.ClassNames.Count * 2))).AppendLine();
        for (var row = 0; row < before.ClassNames.Count; row++)
        {
            text.AppendLine(culture, $"| {before.ClassNames[row]} | {string.Join(" | ", before.Counts[row])} | {string.Join(" | ", after.Counts[row])} |");
        }

        return text.ToString();
    }
}
