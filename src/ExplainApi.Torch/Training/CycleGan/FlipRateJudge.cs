using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The linked classifier's verdict on validation translations: the share it calls the target class (the brain-age study's
/// Table 1 flip rate, METHODS.md §2), on the translations validation has already made (no second generator pass).
/// </summary>
public sealed class FlipRateJudge(IExplainableModelProvider provider, LinkedModel classifier, IDataset dataset)
{
    /// <param name="translations"><paramref name="count"/> translated images, C×H×W each, in the classifier's input units.</param>
    public double FlipRate(float[] translations, int count, DifferenceDirection direction)
    {
        ArgumentNullException.ThrowIfNull(translations);
        ArgumentNullException.ThrowIfNull(direction);
        var target = DifferenceSummarizer.ClassIndex(dataset.ClassNames, direction.ToClass);
        var size = dataset.Channels * dataset.Height * dataset.Width;
        var flipped = provider.UseAsync(classifier.Name, classifier.Version, model =>
        {
            var hits = 0;
            for (var start = 0; start < count; start += model.MaxBatch)
            {
                var n = Math.Min(model.MaxBatch, count - start);
                hits += TranslationPass.Classify(model, translations[(start * size)..((start + n) * size)], n).Count(c => c == target);
            }
            return hits;
        }, CancellationToken.None).GetAwaiter().GetResult();
        return count == 0 ? double.NaN : (double)flipped / count;
    }
}
