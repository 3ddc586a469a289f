using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Evaluation;

/// <summary>How the evaluate job scores models of one task (saliency methods of a classifier, difference maps…).</summary>
public interface IModelEvaluation
{
    ModelTask ForTask { get; }

    /// <summary>Whether the request's saliency fields (methods, expensiveImages) mean anything for this task.</summary>
    bool ScoresSaliencyMethods { get; }

    /// <summary>Why <paramref name="dataset"/> cannot score <paramref name="manifest"/> (a 422 dataset-unsuitable), or null.</summary>
    string? DatasetProblem(ModelManifest manifest, IDataset dataset, string reference);

    /// <summary>Evaluates <paramref name="manifest"/> on the dataset, writing <see cref="EvaluationFiles"/> into <paramref name="outputDirectory"/>; returns a line for the log.</summary>
    Task<string> EvaluateAsync(ModelManifest manifest, string datasetReference, EvaluationSettings settings, string outputDirectory,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken);
}

/// <summary>The evaluation of each task, by task (every <see cref="IModelEvaluation"/> in the container).</summary>
public sealed class ModelEvaluations(IEnumerable<IModelEvaluation> evaluations)
{
    private readonly Dictionary<ModelTask, IModelEvaluation> _byTask = evaluations.ToDictionary(e => e.ForTask);

    public IModelEvaluation? Find(ModelTask task) => _byTask.GetValueOrDefault(task);
}

/// <summary>
/// The files of an evaluate job, whatever the task: the table as JSON and as Markdown. A run first empties the output
/// folder (an interrupted attempt's files), then replaces each file atomically, so no file of an earlier attempt
/// survives and a reader never sees half a table (the job only succeeds once both are written).
/// </summary>
public static class EvaluationFiles
{
    public const string Json = "evaluation.json", Markdown = "evaluation.md";

    public static void Clear(string outputDirectory)
    {
        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    public static async Task WriteAsync(string outputDirectory, string json, string markdown)
    {
        Directory.CreateDirectory(outputDirectory);
        await Core.Files.AtomicFile.WriteAllTextAsync(Path.Combine(outputDirectory, Json), json);
        await Core.Files.AtomicFile.WriteAllTextAsync(Path.Combine(outputDirectory, Markdown), markdown);
    }
}
