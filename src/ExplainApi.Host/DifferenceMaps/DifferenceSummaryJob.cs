using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Files;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using ExplainApi.Host.Evaluation;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// Runs one difference-summary job: the direction's generator and the linked classifier as they are served, the source
/// class's images of the split, <see cref="DifferenceSummarizer"/> on a dedicated thread, then <see cref="DifferenceSummaryFiles"/>
/// in the output folder (emptied first; each file replaced atomically, the JSON last, so it exists only beside complete images).
/// </summary>
public sealed class DifferenceSummaryJob(
    IModelRegistry registry, IDatasetResolver datasets, DifferenceMapModelSource generators, ExplainableModelSource classifiers)
{
    public async Task<DifferenceSummary> RunAsync(string model, string datasetReference, DifferenceSummarySettings settings, string outputDirectory,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var manifest = registry.Find(model, settings.Version)
            ?? throw new InvalidOperationException($"Model '{model}' version {settings.Version} is no longer registered.");
        var link = settings.Classifier ?? manifest.DifferenceMap?.Classifier;
        var classifierManifest = link is null ? null : registry.Find(link.Name, link.Version)
            ?? throw new InvalidOperationException($"Classifier '{link.Name}' version {link.Version} is no longer registered.");
        var dataset = datasets.Resolve(datasetReference);
        if (classifierManifest is not null && !classifierManifest.ClassNames.SequenceEqual(dataset.ClassNames))
        {
            throw new InvalidOperationException($"Classifier '{link!.Name}' orders its classes {string.Join(", ", classifierManifest.ClassNames)}; the dataset {string.Join(", ", dataset.ClassNames)}.");
        }

        var translator = (await generators.OpenAsync(manifest))[settings.Direction];
        var images = DifferenceSummarizer.OfClass(dataset, DatasetSplits.Named(dataset, settings.Split, settings.SplitSeed), translator.Direction.FromClass)
            .Take(settings.Images).ToArray();
        var classifier = classifierManifest is null ? null : await classifiers.OpenAsync(classifierManifest);
        EvaluationFiles.Clear(outputDirectory);
        var evaluationProgress = new EvaluationProgressAdapter(progress, "summarising");
        DifferenceSummary Summarize(IExplainableModel? judge) =>
            DifferenceSummarizer.Summarize(translator, judge, dataset, images, judge?.MaxBatch ?? 16, evaluationProgress, cancellationToken);
        var summary = await Task.Factory.StartNew(() => classifier is null ? Summarize(null) : classifier.Explain(Summarize),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Directory.CreateDirectory(outputDirectory);
        foreach (var (file, bytes) in DifferenceSummaryFiles.Images(summary, manifest.DifferenceMap!.Method))
        {
            await AtomicFile.WriteAllBytesAsync(Path.Combine(outputDirectory, file), bytes);
        }

        var subject = new DifferenceSummarySubject(manifest.Name, manifest.Version, manifest.DifferenceMap!.Method, datasetReference,
            settings.SubsetDescription, link, ClassifierLinked: settings.Classifier is null);
        await AtomicFile.WriteAllTextAsync(Path.Combine(outputDirectory, DifferenceSummaryFiles.Markdown), DifferenceSummaryMarkdown.Write(summary, subject));
        await AtomicFile.WriteAllTextAsync(Path.Combine(outputDirectory, DifferenceSummaryFiles.Json), DifferenceSummaryFiles.ToJson(summary, subject));
        return summary;
    }
}
