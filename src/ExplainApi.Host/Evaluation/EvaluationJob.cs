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
/// reason. It keeps no checkpoint (see <see cref="EvaluationFiles"/>). The evaluation of classification models.
/// </summary>
public sealed class EvaluationJob(IModelRegistry registry, IDatasetResolver datasets, ExplainableModelSource models) : IModelEvaluation
{
    public const string JsonFile = EvaluationFiles.Json, MarkdownFile = EvaluationFiles.Markdown;

    public ModelTask ForTask => ModelTask.Classification;

    public bool ScoresSaliencyMethods => true;

    public string? DatasetProblem(ModelManifest manifest, IDataset dataset, string reference) => EvaluationRequestValidator.MaskProblem(manifest, dataset, reference);

    public async Task<string> EvaluateAsync(ModelManifest manifest, string datasetReference, EvaluationSettings settings, string outputDirectory,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var table = await RunAsync(manifest.Name, datasetReference, settings, outputDirectory, progress, cancellationToken);
        return $"{table.Methods.Count} saliency methods";
    }

    public async Task<SaliencyEvaluationTable> RunAsync(
        string model, string datasetReference, EvaluationSettings settings, string outputDirectory, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var manifest = registry.Find(model, settings.Version)
            ?? throw new InvalidOperationException($"Model '{model}' version {settings.Version} is no longer registered.");
        var dataset = datasets.Resolve(datasetReference);
        var subset = settings.Subset(dataset);
        var subject = new EvaluationSubject(model, manifest.Version, datasetReference, settings.SubsetDescription);
        var served = await models.OpenAsync(manifest);
        EvaluationFiles.Clear(outputDirectory);

        var table = await Task.Factory.StartNew(
            () => Evaluate(served, manifest, dataset, subset, settings, subject, progress, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await EvaluationFiles.WriteAsync(outputDirectory, EvaluationJson.Write(table), EvaluationMarkdown.Write(table));
        return table;
    }

    private static SaliencyEvaluationTable Evaluate(
        LoadedModel served, ModelManifest manifest, IDataset dataset, IReadOnlyList<int> subset, EvaluationSettings settings,
        EvaluationSubject subject, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return served.Explain(explainable => new SaliencyEvaluator().Evaluate(explainable, dataset, subset, settings.Plans(), subject,
                new SaliencyOptions { Seed = (ulong)settings.Seed }, new EvaluationProgressAdapter(progress), cancellationToken));
        }
        catch (ObjectDisposedException)
        {
            throw new InvalidOperationException($"Model '{manifest.Name}' version {manifest.Version} was unloaded (deleted or replaced) before its evaluation started.");
        }
    }
}
