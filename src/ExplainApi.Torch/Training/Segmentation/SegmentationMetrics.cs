using ExplainApi.Core.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// A segmenter on a set of images: the mean (class-weighted, when training weighs classes) cross-entropy per pixel, and
/// from the K×K pixel confusion matrix (background included) the pixel accuracy, IoU_k = TP/(TP + FP + FN) per class
/// and their mean over the classes with TP + FP + FN &gt; 0 (a class in neither prediction nor truth has no IoU).
/// </summary>
public sealed record SegmentationMetrics(double Loss, double PixelAccuracy, double MeanIoU, IReadOnlyList<double?> IoU)
{
    private const int EvaluationBatch = 32;

    /// <param name="weights">The loss's class weights [K], or null.</param>
    public static SegmentationMetrics Evaluate(nn.Module<Tensor, Tensor> model, IDataset dataset, IReadOnlyList<int> indices, int classes, Tensor? weights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(indices);
        model.eval();
        var confusion = new long[classes * classes];
        double lossSum = 0, weightSum = 0;
        var all = indices.ToArray();
        for (var start = 0; start < all.Length; start += EvaluationBatch)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (inputs, targets) = ClassificationBatches.LoadSegmentation(dataset, all.AsSpan(start, Math.Min(EvaluationBatch, all.Length - start)));
            var logits = model.call(inputs);
            lossSum += nn.functional.cross_entropy(logits, targets, weights, reduction: nn.Reduction.Sum).item<float>();
            weightSum += weights is null ? targets.numel() : weights.index_select(0, targets.flatten()).sum().item<float>();
            // Row = truth, column = prediction: bincount of truth·K + prediction.
            var counts = (targets.flatten() * classes + logits.argmax(1).flatten()).bincount(null, classes * classes);
            var batch = counts.data<long>().ToArray();
            for (var i = 0; i < confusion.Length; i++)
            {
                confusion[i] += batch[i];
            }
        }
        model.train();
        return FromConfusion(confusion, classes, all.Length == 0 ? double.NaN : lossSum / weightSum);
    }

    /// <param name="confusion">K×K pixel counts, row = true class, column = predicted class.</param>
    public static SegmentationMetrics FromConfusion(IReadOnlyList<long> confusion, int classes, double loss)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        long Count(int truth, int predicted) => confusion[(truth * classes) + predicted];
        var total = confusion.Sum();
        var correct = Enumerable.Range(0, classes).Sum(k => Count(k, k));
        var iou = Enumerable.Range(0, classes).Select(k =>
        {
            var union = Enumerable.Range(0, classes).Sum(j => Count(k, j) + Count(j, k)) - Count(k, k); // TP + FN + FP
            return union == 0 ? (double?)null : (double)Count(k, k) / union;
        }).ToArray();
        var present = iou.Where(v => v is not null).Select(v => v!.Value).ToArray();
        return new SegmentationMetrics(loss, total == 0 ? double.NaN : (double)correct / total, present.Length == 0 ? double.NaN : present.Average(), iou);
    }

    /// <summary>
    /// loss, pixelAccuracy, meanIoU and iou.{class} (a class without an IoU is left out), each name prefixed and
    /// capitalised after a non-empty <paramref name="prefix"/> (validationLoss, validationIoU.blob…).
    /// </summary>
    public Dictionary<string, double> ToDictionary(IReadOnlyList<string> classNames, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(classNames);
        string Name(string name, string capitalised) => prefix.Length == 0 ? name : prefix + capitalised;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Name("loss", "Loss")] = Loss, [Name("pixelAccuracy", "PixelAccuracy")] = PixelAccuracy, [Name("meanIoU", "MeanIoU")] = MeanIoU,
        };
        for (var k = 0; k < IoU.Count; k++)
        {
            if (IoU[k] is { } value)
            {
                metrics[Name("iou", "IoU") + "." + classNames[k]] = value;
            }
        }
        return metrics;
    }
}
