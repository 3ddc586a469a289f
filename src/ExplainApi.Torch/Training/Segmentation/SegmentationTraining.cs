using System.Globalization;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>One segmentation run: options, seeded stratified split, class weights and model, then <see cref="SegmentationTrainingLoop"/>.</summary>
public static class SegmentationTraining
{
    public const string Background = "background";

    /// <summary>The K per-pixel classes in logit order: background, then the dataset's classes.</summary>
    public static IReadOnlyList<string> ClassNames(IDataset dataset) => [Background, .. (dataset ?? throw new ArgumentNullException(nameof(dataset))).ClassNames];

    /// <param name="masks">The training images' pseudo-masks (<see cref="PseudoMaskPhases"/>), or null to train on the dataset's masks.</param>
    /// <returns>The trained model (with the best epoch's weights; the caller disposes it) and its result.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="TrainingCheckpointException">The checkpoint in the work directory is corrupted or belongs to another job.</exception>
    public static (UNetSegmenter Model, SegmentationTrainingResult Result) Train(
        TrainingRun run, CancellationToken cancellationToken, IReadOnlyDictionary<int, byte[]>? masks = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        TorchRuntime.ConfigureThreads();
        var options = SegmentationOptions.From(run.Options);
        var dataset = run.Dataset;
        var (split, test) = StratifiedSplit.Create(dataset, options.TestFraction, options.ValidationFraction, options.Seed);
        var weights = options.ClassWeights == ClassWeighting.MedianFrequency ? MedianFrequencyWeights(dataset, split.Train, masks) : null;
        var model = CreateModel(dataset, options);
        using var dynamic = options is { Masks: MaskSource.Ssdd, Ssdd.Dynamic: true } && dataset is IMultiLabelDataset multiLabel ? new DynamicSsdd(multiLabel, options) : null;
        try
        {
            var result = new SegmentationTrainingLoop(run, options, split, weights, Fingerprint(options, dataset), masks, dynamic).Run(model, cancellationToken);
            return (model, test.Length == 0 ? result : result with { Test = SegmentationTrainingLoop.Evaluate(model, dataset, test, weights) });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static UNetSegmenter CreateModel(IDataset dataset, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var model = new UNetSegmenter(dataset.Channels, dataset.ClassNames.Count + 1, options.Width, options.Depth);
        SeededInitialization.Apply(model, options.Seed);
        return model;
    }

    /// <summary>
    /// Eigen and Fergus (ICCV 2015, §4.2): w_k = median(f) / f_k, f_k = the pixels of class k over all pixels of the
    /// training images holding k; a class absent from them gets 0 (it is never a target).
    /// </summary>
    public static float[] MedianFrequencyWeights(IDataset dataset, IReadOnlyList<int> train, IReadOnlyDictionary<int, byte[]>? masks = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(train);
        var classes = dataset.ClassNames.Count + 1;
        var (pixels, imagePixels) = (new long[classes], new long[classes]);
        foreach (var index in train)
        {
            var segmentation = masks?.GetValueOrDefault(index) ?? dataset.Get(index).Segmentation ?? throw new InvalidDataException($"Sample {index} of {dataset.Reference} has no segmentation.");
            var counts = new long[classes];
            foreach (var k in segmentation)
            {
                counts[k]++;
            }
            for (var k = 0; k < classes; k++)
            {
                pixels[k] += counts[k];
                imagePixels[k] += counts[k] > 0 ? segmentation.Length : 0;
            }
        }
        var frequency = Enumerable.Range(0, classes).Select(k => imagePixels[k] == 0 ? 0 : (double)pixels[k] / imagePixels[k]).ToArray();
        var present = frequency.Where(f => f > 0).Order().ToArray();
        var median = present.Length == 0 ? 1 : present.Length % 2 == 1 ? present[present.Length / 2] : (present[(present.Length / 2) - 1] + present[present.Length / 2]) / 2;
        return [.. frequency.Select(f => f == 0 ? 0f : (float)(median / f))];
    }

    private static string Fingerprint(SegmentationOptions options, IDataset dataset) =>
        string.Create(CultureInfo.InvariantCulture,
            $"segmentation {options.Fingerprint()} dataset={dataset.Reference} n={dataset.Count} shape={dataset.Channels}x{dataset.Height}x{dataset.Width} classes={dataset.ClassNames.Count}");
}
