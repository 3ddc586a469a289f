using System.Diagnostics;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// A segmentation model scored on a split (METHODS.md §4): its label maps (argmax of the probabilities) against
/// <see cref="Sample.Segmentation"/> in one <see cref="SegmentationConfusion"/>, read as <see cref="SegmentationMetrics"/>
/// (mIoU with background, IoU and Dice per class, pixel accuracy), plus seconds per image of the model's runs alone.
/// </summary>
public sealed record SegmentationEvaluationTable(EvaluationSubject Subject, IReadOnlyList<string> ClassNames, SegmentationMetrics Metrics, double SecondsPerImage)
{
    public const int SchemaVersion = 1;
}

public static class SegmentationEvaluator
{
    /// <param name="segment">The model: <c>count</c> images [count, C, H, W] → probabilities [count, K, H, W].</param>
    /// <param name="classNames">The model's K classes, background first, matching the dataset's 0..C coding.</param>
    public static SegmentationEvaluationTable Evaluate(
        Func<float[], int, float[]> segment, IDataset dataset, IReadOnlyList<int> images, IReadOnlyList<string> classNames, int batch,
        EvaluationSubject subject, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var (classes, height, width) = (classNames.Count, dataset.Height, dataset.Width);
        var confusion = new SegmentationConfusion(classes - 1);
        var clock = new Stopwatch();
        for (var start = 0; start < images.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var samples = images.Skip(start).Take(batch).Select(dataset.Get).ToList();
            var truth = samples.Select(s => s.Segmentation ?? throw new ArgumentException($"Dataset {dataset.Reference} has an image without a segmentation.", nameof(dataset))).ToList();
            clock.Start();
            var probabilities = segment([.. samples.SelectMany(s => s.Pixels)], samples.Count);
            clock.Stop();
            var item = classes * height * width;
            for (var n = 0; n < samples.Count; n++)
            {
                confusion.Add(truth[n], LabelMap.ArgMax(probabilities.AsSpan(n * item, item), classes, height, width));
            }

            progress?.Report(new EvaluationProgress(start + samples.Count, images.Count));
        }

        return new SegmentationEvaluationTable(subject, classNames, confusion.Metrics(), images.Count == 0 ? double.NaN : clock.Elapsed.TotalSeconds / images.Count);
    }
}
