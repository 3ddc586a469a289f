using ExplainApi.Core.Datasets;
using ExplainApi.Core.Segmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// A segmenter on a set of images: the mean (class-weighted, when training weighs classes) cross-entropy per pixel, and
/// the pixel accuracy, per-class IoU and mean IoU of the K×K confusion matrix as <see cref="SegmentationMetrics"/> defines them.
/// </summary>
public sealed record SegmenterMetrics(double Loss, double PixelAccuracy, double MeanIoU, IReadOnlyList<double?> IoU)
{
    private const int EvaluationBatch = 32;

    /// <param name="weights">The loss's class weights [K], or null.</param>
    public static SegmenterMetrics Evaluate(nn.Module<Tensor, Tensor> model, IDataset dataset, IReadOnlyList<int> indices, int classes, Tensor? weights = null)
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
        return FromConfusion(confusion, classes, all.Length == 0 ? double.NaN : lossSum / weightSum, all.Length);
    }

    /// <param name="confusion">K×K pixel counts, row = true class, column = predicted class.</param>
    public static SegmenterMetrics FromConfusion(IReadOnlyList<long> confusion, int classes, double loss, int images = 0)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var matrix = new SegmentationConfusion(classes - 1);
        matrix.Add([.. confusion], images);
        var pixels = matrix.Metrics();
        return new SegmenterMetrics(loss, pixels.PixelAccuracy ?? double.NaN, pixels.MeanIou ?? double.NaN, [.. pixels.Labels.Select(l => l.Iou)]);
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
