using System.Diagnostics;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>One image's difference map: the translation, translated − input, and (with a classifier) its class on both images.</summary>
public sealed record DifferenceMapItem(
    float[] Translated, float[] Map, double[]? OriginalProbabilities, double[]? TranslatedProbabilities, int? OriginalClass, int? TranslatedClass, bool? ClassFlipped);

public sealed record DifferenceMapRun(IReadOnlyList<DifferenceMapItem> Items, double TranslateMilliseconds, double ClassifyMilliseconds);

/// <summary>
/// Runs one direction over a batch: one generator pass per image, then the linked classifier on the originals and on the
/// translations (two forwards per image) to say whether the class flipped to the direction's target class.
/// </summary>
public static class DifferenceMapRunner
{
    /// <param name="logits">The classifier: a batch of images (CHW each, one after another) and its size → logits, batch × classes; null without one.</param>
    /// <param name="toClass">The direction's target class among the classifier's outputs (−1 when it has no such class).</param>
    public static DifferenceMapRun Run(IImageTranslator translator, IReadOnlyList<float[]> inputs, Func<float[], int, float[]>? logits, int toClass,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(inputs);
        var clock = Stopwatch.StartNew();
        var batch = inputs.SelectMany(i => i).ToArray();
        var translated = translator.Translate(batch, inputs.Count);
        var translateMs = clock.Elapsed.TotalMilliseconds;
        cancellation.ThrowIfCancellationRequested();

        var size = batch.Length / inputs.Count;
        double[][]? before = null, after = null;
        if (logits is not null)
        {
            before = Probabilities(logits(batch, inputs.Count), inputs.Count);
            cancellation.ThrowIfCancellationRequested();
            after = Probabilities(logits(translated, inputs.Count), inputs.Count);
        }

        var items = Enumerable.Range(0, inputs.Count).Select(n =>
        {
            var image = translated.AsSpan(n * size, size).ToArray();
            var map = DifferenceMapMath.Difference(inputs[n], image);
            int? from = before is null ? null : ArgMax(before[n]);
            int? to = after is null ? null : ArgMax(after[n]);
            return new DifferenceMapItem(image, map, before?[n], after?[n], from, to, to is null ? null : to == toClass);
        }).ToList();
        return new DifferenceMapRun(items, translateMs, clock.Elapsed.TotalMilliseconds - translateMs);
    }

    private static double[][] Probabilities(float[] logits, int count)
    {
        var classes = logits.Length / count;
        return [.. Enumerable.Range(0, count).Select(n => Softmax.Of(logits.AsSpan(n * classes, classes)))];
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
