using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// The evaluation of segmentation models (METHODS.md §4): the served segmenter (its <see cref="SegmentationAdapter"/>,
/// batched as /segment runs it, under one lease) on at most <see cref="EvaluationSettings.Images"/> images of the split,
/// scored by <see cref="SegmentationEvaluator"/> against the dataset's label maps, written as <see cref="EvaluationFiles"/>.
/// The dataset must carry per-pixel classes for the model's classes and input shape. Saliency fields do not apply.
/// </summary>
public sealed class SegmentationEvaluationJob(IDatasetResolver datasets, ExplainableModelSource models) : IModelEvaluation
{
    public ModelTask ForTask => ModelTask.Segmentation;

    public bool ScoresSaliencyMethods => false;

    public string? DatasetProblem(ModelManifest manifest, IDataset dataset, string reference)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(dataset);
        var names = manifest.Segmentation?.ClassNames ?? [];
        return dataset is not IMultiLabelDataset { HasSegmentation: true }
            ? $"Dataset {reference} has no per-pixel class masks (segmentations) to score a segmentation model against."
            : !names.Skip(1).SequenceEqual(dataset.ClassNames, StringComparer.Ordinal) || names.Count != dataset.ClassNames.Count + 1
                ? $"Model '{manifest.Name}' segments [{string.Join(", ", names)}]; dataset {reference} labels [background, {string.Join(", ", dataset.ClassNames)}]."
                : EvaluationRequestValidator.ShapeProblem(manifest, dataset, reference);
    }

    public async Task<string> EvaluateAsync(ModelManifest manifest, string datasetReference, EvaluationSettings settings, string outputDirectory,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(settings);
        var section = manifest.Segmentation ?? throw new InvalidOperationException($"Model '{manifest.Name}' has no segmentation section.");
        var dataset = datasets.Resolve(datasetReference);
        var images = settings.Subset(dataset).Take(settings.Images).ToList();
        var subject = new EvaluationSubject(manifest.Name, manifest.Version, datasetReference, settings.SubsetDescription);
        var served = await models.LoadAsync(manifest);
        EvaluationFiles.Clear(outputDirectory);
        var table = await Task.Factory.StartNew(
            () => served.With<SegmentationAdapter, SegmentationEvaluationTable>(adapter => SegmentationEvaluator.Evaluate(
                adapter.Segment, dataset, images, section.ClassNames, SegmentationAdapter.MaxBatch, subject,
                new EvaluationProgressAdapter(progress, "segmenting"), cancellationToken)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await EvaluationFiles.WriteAsync(outputDirectory, SegmentationEvaluationJson.Write(table), SegmentationEvaluationMarkdown.Write(table));
        return $"mIoU {table.Metrics.MeanIou:0.000} on {table.Metrics.Images} images";
    }
}
