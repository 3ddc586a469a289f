using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The linked classifier's verdict on validation translations: the share it calls the target class (the brain-age study's
/// Table 1 flip rate, METHODS.md §2), computed by the difference-summary job's <see cref="DifferenceSummarizer"/>.
/// </summary>
public sealed class FlipRateJudge(IExplainableModelProvider provider, LinkedModel classifier, IDataset dataset)
{
    public double FlipRate(IImageTranslator translator, int[] images) =>
        provider.UseAsync(classifier.Name, classifier.Version,
            model => DifferenceSummarizer.Summarize(translator, model, dataset, images, model.MaxBatch).FlipRate, CancellationToken.None).GetAwaiter().GetResult();
}
