namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One label's scores: TP = pixels of label k predicted k, FP = predicted k elsewhere, FN = truth k predicted otherwise;
/// IoU = TP / (TP + FP + FN), Dice = 2TP / (2TP + FP + FN), both null when the label is in neither truth nor prediction.
/// </summary>
public sealed record LabelScores(int Label, long TruthPixels, long PredictedPixels, long TruePositives, double? Iou, double? Dice);

/// <summary>
/// The metrics of a <see cref="SegmentationConfusion"/> (METHODS.md §4, SSDD), JSON-friendly (undefined values are null).
/// <see cref="MeanIou"/> is PASCAL VOC's: IoU per label, background included, averaged over the labels with
/// TP + FP + FN &gt; 0 over the split. <see cref="PixelAccuracy"/> = Σ_k TP_k / all pixels. For seeds, over the
/// labelled (foreground) pixels: <see cref="ForegroundPrecision"/> = Σ_{k≥1} TP_k / pixels predicted foreground (how
/// many seed pixels carry the right class), <see cref="ForegroundRecall"/> = Σ_{k≥1} TP_k / pixels whose truth is
/// foreground (how much of the objects the seed covers with the right class).
/// </summary>
public sealed record SegmentationMetrics(
    int Images,
    long Pixels,
    double? MeanIou,
    double? MeanDice,
    double? PixelAccuracy,
    double? ForegroundPrecision,
    double? ForegroundRecall,
    IReadOnlyList<LabelScores> Labels,
    long[][] Confusion)
{
    public static SegmentationMetrics Of(SegmentationConfusion confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var n = confusion.Labels;
        var matrix = new long[n][];
        for (var t = 0; t < n; t++)
        {
            matrix[t] = [.. Enumerable.Range(0, n).Select(p => confusion[t, p])];
        }

        var truth = matrix.Select(row => row.Sum()).ToArray();
        var predicted = Enumerable.Range(0, n).Select(p => matrix.Sum(row => row[p])).ToArray();
        var labels = Enumerable.Range(0, n).Select(k =>
        {
            var tp = matrix[k][k];
            var union = truth[k] + predicted[k] - tp; // TP + FP + FN
            return new LabelScores(k, truth[k], predicted[k], tp, Ratio(tp, union), Ratio(2 * tp, union + tp));
        }).ToList();

        var present = labels.Where(l => l.Iou is not null).ToList();
        var correctForeground = labels.Skip(1).Sum(l => l.TruePositives);
        return new SegmentationMetrics(
            confusion.Images,
            truth.Sum(),
            present.Count == 0 ? null : present.Average(l => l.Iou!.Value),
            present.Count == 0 ? null : present.Average(l => l.Dice!.Value),
            Ratio(labels.Sum(l => l.TruePositives), truth.Sum()),
            Ratio(correctForeground, predicted.Skip(1).Sum()),
            Ratio(correctForeground, truth.Skip(1).Sum()),
            labels,
            matrix);
    }

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
