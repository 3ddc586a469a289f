namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// A pseudo-mask phase's report as manifest metrics, named <c>pseudoMask.{phase}.{metric}</c>: mIoU and mean Dice
/// (background included), foreground precision and recall (SSDD's seed scores), IoU and Dice per class, and the phase's
/// milliseconds per image when it ran in this job.
/// </summary>
public static class PseudoMaskMetrics
{
    public static void Add(IDictionary<string, double> metrics, string phase, PseudoMaskPhaseReport report, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(classNames);
        var prefix = $"pseudoMask.{phase}.";
        var quality = report.Quality;
        void Put(string name, double? value)
        {
            if (value is { } v)
            {
                metrics[prefix + name] = v;
            }
        }

        Put("meanIoU", quality.MeanIou);
        Put("meanDice", quality.MeanDice);
        Put("precision", quality.ForegroundPrecision);
        Put("recall", quality.ForegroundRecall);
        Put("millisecondsPerImage", report.MillisecondsPerImage);
        foreach (var label in quality.Labels.Where(l => l.Label < classNames.Count))
        {
            Put($"iou.{classNames[label.Label]}", label.Iou);
            Put($"dice.{classNames[label.Label]}", label.Dice);
        }
    }
}
