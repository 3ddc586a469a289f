using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// The group picture of one direction (the brain-age study's Figure 2 and Table 1): the per-pixel mean and std of the
/// difference maps over the images, and the classifier's confusion matrices on those images before translation (row =
/// their label) and after (row = the target class). <see cref="FlipRate"/> is the share the classifier calls the target class after.
/// </summary>
public sealed record DifferenceSummary(DifferenceDirection Direction, int Channels, int Height, int Width, int Images,
    float[] Mean, float[] StandardDeviation, ConfusionMatrix? Before, ConfusionMatrix? After)
{
    public double FlipRate => After is null || Images == 0 ? double.NaN : After.Accuracy;
}

/// <summary>Computes a <see cref="DifferenceSummary"/> in one pass over the images (<see cref="PixelMoments"/>, <see cref="TranslationPass"/>).</summary>
public static class DifferenceSummarizer
{
    /// <param name="classNames">The dataset's classes; the direction's classes and the classifier's outputs index them.</param>
    public static DifferenceSummary Summarize(IImageTranslator translator, IExplainableModel? classifier, IDataset dataset, IReadOnlyList<int> images,
        int batch = 16, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(images);
        var classes = dataset.ClassNames;
        var target = ClassIndex(classes, translator.Direction.ToClass);
        var moments = new PixelMoments(translator.Channels * translator.Height * translator.Width);
        var (before, after) = classifier is null ? (null, null) : (new ConfusionMatrix(classes), new ConfusionMatrix(classes));
        var done = 0;
        foreach (var image in TranslationPass.Run(translator, classifier, dataset, images, batch, cancellationToken))
        {
            moments.Add(image.Map);
            before?.Add(image.Sample.Label, image.PredictedBefore!.Value);
            after?.Add(target, image.PredictedAfter!.Value);
            progress?.Report(new EvaluationProgress(++done, images.Count));
        }

        return new DifferenceSummary(translator.Direction, translator.Channels, translator.Height, translator.Width, moments.Count,
            moments.Mean(), moments.StandardDeviation(), before, after);
    }

    /// <summary>The index of <paramref name="name"/> among the classes; a class the dataset lacks is an error of the caller.</summary>
    public static int ClassIndex(IReadOnlyList<string> classes, string name)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var index = classes.ToList().IndexOf(name);
        return index >= 0 ? index : throw new ArgumentException($"Class '{name}' is not one of {string.Join(", ", classes)}.", nameof(name));
    }

    /// <summary>The images of <paramref name="subset"/> labelled <paramref name="className"/> (a direction's FromClass).</summary>
    public static int[] OfClass(IDataset dataset, IReadOnlyList<int> subset, string className)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(subset);
        if (dataset is IMultiLabelDataset)
        {
            throw new ArgumentException($"Dataset {dataset.Reference} is multi-label: its images have no single class to translate from.", nameof(dataset));
        }

        var label = ClassIndex(dataset.ClassNames, className);
        return [.. subset.Where(i => dataset.LabelOf(i) == label)];
    }
}
