using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Runs one evaluate job: the model version from the job's <see cref="EvaluationSettings"/>, the dataset's standard split,
/// <see cref="SaliencyEvaluator"/> on a dedicated thread (CPU-bound and long), and the table written to the job's output
/// folder as <see cref="JsonFile"/> and <see cref="MarkdownFile"/>. It keeps no checkpoint: a job interrupted by a
/// restart is evaluated again from the start.
/// </summary>
public sealed class EvaluationJob(IModelRegistry registry, IDatasetResolver datasets, ExplainableModelSource models)
{
    public const string JsonFile = "evaluation.json", MarkdownFile = "evaluation.md";

    public async Task<SaliencyEvaluationTable> RunAsync(
        string model, string datasetReference, EvaluationSettings settings, string outputDirectory, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        var manifest = registry.Find(model, settings.Version)
            ?? throw new InvalidOperationException($"Model '{model}' version {settings.Version} is no longer registered.");
        var dataset = datasets.Resolve(datasetReference);
        var split = DatasetSplits.Standard(dataset, settings.SplitSeed);
        var subset = settings.Split switch
        {
            "test" => split.Test,
            "validation" => split.Validation,
            "train" => split.Train,
            _ => Enumerable.Range(0, dataset.Count).ToArray(),
        };
        var subject = new EvaluationSubject(model, manifest.Version, datasetReference, settings.SubsetDescription);
        var explainable = await models.OpenAsync(manifest, cancellationToken);
        try
        {
            var table = await Task.Factory.StartNew(
                () => new SaliencyEvaluator().Evaluate(explainable, dataset, subset, settings.Plans(), subject,
                    new SaliencyOptions { Seed = (ulong)settings.Seed }, new ProgressAdapter(progress), cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Directory.CreateDirectory(outputDirectory);
            await WriteAtomicallyAsync(Path.Combine(outputDirectory, JsonFile), EvaluationJson.Write(table));
            await WriteAtomicallyAsync(Path.Combine(outputDirectory, MarkdownFile), EvaluationMarkdown.Write(table));
            return table;
        }
        finally
        {
            (explainable as IDisposable)?.Dispose();
        }
    }

    private static async Task WriteAtomicallyAsync(string path, string text)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, CancellationToken.None);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Synchronous (Progress&lt;T&gt; would post to the thread pool and reorder reports).</summary>
    private sealed class ProgressAdapter(IProgress<TrainingProgress> progress) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => progress.Report(new TrainingProgress(
            "evaluating", 1, 1, value.Image, value.Images, new Dictionary<string, double>(), new Dictionary<string, double>()));
    }
}
