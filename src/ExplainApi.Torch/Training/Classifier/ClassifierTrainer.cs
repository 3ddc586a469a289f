using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Job kind "classifier": the ResNet-style <see cref="ResNetClassifier"/> trained by
/// <see cref="ClassifierTraining"/>, exported to ONNX by <see cref="ResNetOnnx"/> (BatchNorm folded) with the
/// last stage's activations as an extra output for the CAM family.
/// </summary>
public sealed class ClassifierTrainer : ITrainer
{
    public const string KindName = "classifier";

    public string Kind => KindName;

    public string Description =>
        "ResNet-style CNN (strided convolutions, BatchNorm, global average pool, linear head), Adam with early stopping. "
        + "Single-label datasets: softmax and cross-entropy; multi-label datasets: one sigmoid per class and the multi-label soft-margin loss. "
        + "Options: epochs, batchSize, learningRate, weightDecay, width, depth, augmentation, earlyStoppingPatience, seed, validationFraction, "
        + "stemStride (2: a stride-2 stem, about 4× faster), testFraction (above 0: a held-out stratified test set, reported as test metrics).";

    public TrainerOptions ValidateOptions(JsonObject? options) => ClassifierOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Channels is not (1 or 3)
            ? $"The classifier takes 1- or 3-channel images; the dataset has {dataset.Channels}."
            : Math.Min(dataset.Height, dataset.Width) < 16
                ? $"The classifier needs images of at least 16×16; the dataset's are {dataset.Width}×{dataset.Height}."
                : ClassificationDatasets.Check(dataset, Kind, allowMultiLabel: true);
    }

    /// <summary>Runs <see cref="Train"/> on a dedicated thread (training is CPU-bound and long).</summary>
    public Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Train(run, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static TrainedModel Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dataset = run.Dataset;
        var (model, result) = ClassifierTraining.Train(run, cancellationToken);
        using (model)
        {
            var metrics = result.Validation.ToDictionary(dataset.ClassNames, "validation");
            foreach (var (name, value) in result.Test?.ToDictionary(dataset.ClassNames, "test") ?? [])
            {
                metrics[name] = value;
            }
            run.Progress.Report(new TrainingProgress("exporting", result.EpochsRun, result.EpochsRun, 0, 0, new Dictionary<string, double>(), metrics));
            Directory.CreateDirectory(run.OutputDirectory);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.WeightsFileName), path => model.save(path));
            var activation = ClassifierObjective.For(dataset).Activation;
            var onnx = ResNetOnnx.Export(model, activation);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.OnnxFileName), path => File.WriteAllBytes(path, onnx));

            metrics["bestEpoch"] = result.BestEpoch;
            return TrainedModel.Classifier(
                ModelManifest.OnnxFileName,
                ModelManifest.WeightsFileName,
                new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false, ResNetOnnx.Input),
                dataset.ClassNames,
                [model.TargetLayer],
                metrics,
                activation);
        }
    }
}
