using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Runs one evaluate job: the model version from the job's <see cref="EvaluationSettings"/> as it is served (its ONNX
/// through <see cref="ExplainableModelSource"/>, under a lease of the session for the whole run), the dataset's standard
/// split, <see cref="SaliencyEvaluator"/> on a dedicated thread (CPU-bound and long), and the table written to the job's
/// output folder as <see cref="JsonFile"/> and <see cref="MarkdownFile"/>. Methods the model cannot run are rows with the
/// reason. It keeps no checkpoint: a job interrupted by a restart is re-queued and evaluated again from the start, and
/// that run first empties the output folder, then replaces each file atomically, so no file of an earlier attempt
/// survives and a reader never sees half a table (the job only succeeds once both are written).
/// </summary>
public sealed class EvaluationJob(IModelRegistry registry, IDatasetResolver datasets, ExplainableModelSource models)
{
    public const string JsonFile = "evaluation.json", MarkdownFile = "evaluation.md";

    public async Task<SaliencyEvaluationTable> RunAsync(
        string model, string datasetReference, EvaluationSettings settings, string outputDirectory, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
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
        var served = await models.OpenAsync(manifest);
        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true); // an interrupted attempt's files
        }

        var table = await Task.Factory.StartNew(
            () => Evaluate(served, manifest, dataset, subset, settings, subject, progress, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Directory.CreateDirectory(outputDirectory);
        await WriteAtomicallyAsync(Path.Combine(outputDirectory, JsonFile), EvaluationJson.Write(table));
        await WriteAtomicallyAsync(Path.Combine(outputDirectory, MarkdownFile), EvaluationMarkdown.Write(table));
        return table;
    }

    private static SaliencyEvaluationTable Evaluate(
        LoadedModel served, ModelManifest manifest, IDataset dataset, IReadOnlyList<int> subset, EvaluationSettings settings,
        EvaluationSubject subject, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return served.Explain(explainable => new SaliencyEvaluator().Evaluate(explainable, dataset, subset, settings.Plans(), subject,
                new SaliencyOptions { Seed = (ulong)settings.Seed }, new ProgressAdapter(progress), cancellationToken));
        }
        catch (ObjectDisposedException)
        {
            throw new InvalidOperationException($"Model '{manifest.Name}' version {manifest.Version} was unloaded (deleted or replaced) before its evaluation started.");
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
