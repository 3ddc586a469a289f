using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;

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
public sealed record TrainingRun(
    string JobId,
    JsonObject Options,
    IDataset Dataset,
    string WorkDirectory,
    string OutputDirectory,
    int CheckpointEverySteps,
    IProgress<TrainingProgress> Progress);

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

/// <summary>What a finished trainer hands to the registry: files in the output directory and their description.</summary>
public sealed record TrainedModel(
    string OnnxFile,
    string WeightsFile,
    string Task,
    ModelInputSpec Input,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> TargetLayers,
    IReadOnlyDictionary<string, double> Metrics);
