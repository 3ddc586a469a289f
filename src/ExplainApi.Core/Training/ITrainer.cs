using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Training;

/// <summary>
/// What every job kind implements (classifier, VA-GAN, CycleGAN, segmentation, DRAI…): validate
/// options → train with progress, cancellation and checkpoint/resume → export ONNX. The job runner
/// registers the result in the model registry. Implementations are stateless singletons.
/// </summary>
public interface ITrainer
{
    /// <summary>The job kind, e.g. <c>logistic-regression</c>.</summary>
    string Kind { get; }

    string Description { get; }

    /// <summary>
    /// Checks and completes the options at POST time: unknown fields, wrong types and out-of-range
    /// values are errors keyed by field name (e.g. <c>epochs</c>); defaults are filled in.
    /// </summary>
    TrainerOptions ValidateOptions(JsonObject? options);

    /// <summary>Why this dataset cannot train this kind (e.g. it has one class), or null.</summary>
    string? ValidateDataset(IDataset dataset);

    /// <summary>
    /// Why the (validated) options ask the dataset for something it lacks (a class pair it does not have), or null: a
    /// dataset problem, answered like <see cref="ValidateDataset"/>, not a link problem.
    /// </summary>
    string? ValidateDatasetOptions(JsonObject options, IDataset dataset) => null;

    /// <summary>
    /// Why a registered model the (validated) options link to cannot be used (missing, another task, another input
    /// shape, lacking the dataset's classes), or null. Checked at POST time, so nothing is queued for a bad link.
    /// </summary>
    string? ValidateLinks(JsonObject options, IDataset dataset, IModelRegistry models) => null;

    /// <summary>
    /// Trains, resuming from the newest checkpoint in <see cref="TrainingRun.WorkDirectory"/> when one
    /// exists, writing a checkpoint at least every <see cref="TrainingRun.CheckpointEverySteps"/> steps
    /// and when cancelled (then throwing <see cref="OperationCanceledException"/>), and finally writing
    /// the ONNX model and weights into <see cref="TrainingRun.OutputDirectory"/>.
    /// </summary>
    Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken);
}

/// <summary>Options after validation: the completed options, or errors by field name.</summary>
public sealed record TrainerOptions(JsonObject Values, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Everything one run of a trainer needs; the directories survive process restarts.</summary>
/// <param name="Models">The registry, for the models the options link to.</param>
/// <param name="ExplainableModels">Linked classifiers as the saliency methods see them (null where the host serves none).</param>
public sealed record TrainingRun(
    string JobId,
    JsonObject Options,
    IDataset Dataset,
    string WorkDirectory,
    string OutputDirectory,
    int CheckpointEverySteps,
    IProgress<TrainingProgress> Progress,
    IModelRegistry? Models = null,
    IExplainableModelProvider? ExplainableModels = null);

/// <summary>A progress report: where the trainer is, its latest losses and validation metrics.</summary>
public sealed record TrainingProgress(
    string Phase,
    int Epoch,
    int TotalEpochs,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Losses,
    IReadOnlyDictionary<string, double> Metrics,
    bool ResumedFromCheckpoint = false);

/// <summary>
/// What a finished trainer hands to the registry: its ONNX graphs by role and other files (e.g. weights), as names in the
/// run's output directory (or absolute paths, see <see cref="Under"/>), and the manifest section of its task.
/// </summary>
public sealed record TrainedModel(
    ModelTask Task,
    ModelInputSpec Input,
    IReadOnlyList<ModelGraph> Graphs,
    IReadOnlyList<string> OtherFiles,
    IReadOnlyDictionary<string, double> Metrics,
    ClassificationSection? Classification = null,
    DifferenceMapSection? DifferenceMap = null,
    SegmentationSection? Segmentation = null)
{
    /// <summary>A classifier: one <c>model.onnx</c> and its weights file.</summary>
    public static TrainedModel Classifier(string onnxFile, string weightsFile, ModelInputSpec input, IReadOnlyList<string> classNames,
        IReadOnlyList<string> targetLayers, IReadOnlyDictionary<string, double> metrics, OutputActivation outputActivation = OutputActivation.Softmax) =>
        new(ModelTask.Classification, input, [new ModelGraph(ModelGraph.ClassifierRole, onnxFile)], [weightsFile], metrics,
            new ClassificationSection(classNames, targetLayers, outputActivation));

    /// <summary>Every file: graphs first, in order, then the others.</summary>
    public IEnumerable<string> AllFiles => Graphs.Select(g => g.File).Concat(OtherFiles);

    /// <summary>The same model with every file resolved against <paramref name="directory"/>.</summary>
    public TrainedModel Under(string directory) => this with
    {
        Graphs = [.. Graphs.Select(g => g with { File = Path.Combine(directory, g.File) })],
        OtherFiles = [.. OtherFiles.Select(f => Path.Combine(directory, f))],
    };
}
