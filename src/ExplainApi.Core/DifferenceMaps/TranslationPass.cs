using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>One image through a translator: the sample, its difference map (translated − input, C×H×W) and, with a classifier, its decisions before and after.</summary>
public sealed record TranslatedImage(int Index, Sample Sample, float[] Translated, float[] Map, int? PredictedBefore, int? PredictedAfter);

/// <summary>
/// The loop the difference-map summaries and evaluations share: dataset images in batches of at most
/// <paramref name="batch"/> through <see cref="IImageTranslator.Translate"/>, and the classifier's forward pass
/// (<see cref="IExplainableModel.Forward"/>) on the originals and on the translations, one image at a time out.
/// </summary>
public static class TranslationPass
{
    public static IEnumerable<TranslatedImage> Run(IImageTranslator translator, IExplainableModel? classifier, IDataset dataset,
        IReadOnlyList<int> images, int batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var size = translator.Channels * translator.Height * translator.Width;
        if ((dataset.Channels, dataset.Height, dataset.Width) != (translator.Channels, translator.Height, translator.Width)
            || (classifier is not null && classifier.Shape.ItemSize != size))
        {
            throw new ArgumentException(
                $"The translator takes {translator.Channels}×{translator.Height}×{translator.Width} images; dataset {dataset.Reference} has {dataset.Channels}×{dataset.Height}×{dataset.Width}"
                + (classifier is null ? "." : $" and the classifier {classifier.Shape.Channels}×{classifier.Shape.Height}×{classifier.Shape.Width}."), nameof(dataset));
        }

        for (var start = 0; start < images.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batch, images.Count - start);
            var samples = Enumerable.Range(start, count).Select(i => dataset.Get(images[i])).ToArray();
            var inputs = new float[count * size];
            for (var n = 0; n < count; n++)
            {
                samples[n].Pixels.CopyTo(inputs, n * size);
            }

            var translated = translator.Translate(inputs, count);
            var maps = DifferenceMapMath.Difference(inputs, translated);
            var before = Predict(classifier, inputs, count);
            var after = Predict(classifier, translated, count);
            for (var n = 0; n < count; n++)
            {
                yield return new TranslatedImage(images[start + n], samples[n], translated[(n * size)..((n + 1) * size)], maps[(n * size)..((n + 1) * size)],
                    before?[n], after?[n]);
            }
        }
    }

    private static int[]? Predict(IExplainableModel? classifier, float[] inputs, int count) => classifier is null ? null : Classify(classifier, inputs, count);

    /// <summary>The classifier's arg-max class of each of <paramref name="count"/> images (one forward pass; the caller keeps within its MaxBatch).</summary>
    public static int[] Classify(IExplainableModel classifier, float[] inputs, int count)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var logits = classifier.Forward(inputs, count).Logits;
        var classes = classifier.Shape.Classes;
        return [.. Enumerable.Range(0, count).Select(n => Logits.ArgMax(logits.AsSpan(n * classes, classes)))];
    }
}
