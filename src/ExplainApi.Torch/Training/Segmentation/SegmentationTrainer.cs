using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Export;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// Job kind "segmentation": a <see cref="UNetSegmenter"/> trained by <see cref="SegmentationTraining"/> on the dataset's
/// per-pixel masks, exported by <see cref="SegmenterOnnx"/> as one <c>segmenter</c> graph (input → logits, probabilities
/// [N, K, H, W]), a segmentation model whose K classes are background and the dataset's classes; a static-SSDD job adds its
/// <c>ssdd-detector</c> graph (<see cref="DifferenceDetectorOnnx"/>) so /segment can serve the ssdd stage.
/// </summary>
public sealed class SegmentationTrainer : ITrainer
{
    public const string KindName = "segmentation", SegmenterRole = "segmenter", SegmenterFile = "segmenter.onnx",
        DetectorRole = "ssdd-detector", DetectorFile = "ssdd-detector.onnx";

    public string Kind => KindName;

    public string Description =>
        "U-Net segmenter (stride-2 convolutions down, bilinear resize and convolution up, skip concatenation, BatchNorm), per-pixel "
        + "cross-entropy over background and the dataset's classes, Adam, keeping the weights of the lowest validation loss. Needs a dataset "
        + "with masks (synthetic:lesions). Options: masks (ground-truth | seeds | crf | ssdd: pseudo-masks from the linked classifier's CAM "
        + "seeds, optionally CRF-refined, or seeds and CRF integrated by static SSDD; validation still scores the true masks, but pseudo-mask runs keep the last epoch), ssddEpochs, ssddVariant (static | dynamic: two SSDD modules and a 3-iteration CRF inside each step), ssddSign "
        + "(paper | flipped), ssddBias, ssddBackgroundBias, ssddErasedRatio, classifier and classifierVersion (a registered multi-label "
        + "classifier, needed by seeds, crf and ssdd), alpha, crfIterations, epochs, batchSize, learningRate, width, depth (H and W divisible by "
        + "2^depth), classWeights (none | median-frequency), seed, validationFraction, testFraction.";

    public TrainerOptions ValidateOptions(JsonObject? options) => SegmentationOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset is not IMultiLabelDataset { HasSegmentation: true }
            ? $"The segmentation trainer needs per-pixel class masks (a dataset such as synthetic:lesions); {dataset.Reference} has none."
            : dataset.Channels is not (1 or 3)
                ? $"The segmenter takes 1- or 3-channel images; the dataset has {dataset.Channels}."
                : Math.Min(dataset.Height, dataset.Width) < 16
                    ? $"The segmenter needs images of at least 16×16; the dataset's are {dataset.Width}×{dataset.Height}."
                    : dataset.Count < 4 ? $"The dataset has {dataset.Count} images; the segmenter needs at least 4 to train and validate." : null;
    }

    /// <summary>The U-Net halves the image <c>depth</c> times.</summary>
    public string? ValidateDatasetOptions(JsonObject options, IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var multiple = 1 << SegmentationOptions.From(options).Depth;
        return dataset.Height % multiple != 0 || dataset.Width % multiple != 0
            ? $"A segmenter of depth {SegmentationOptions.From(options).Depth} needs sides divisible by {multiple}; the dataset's images are {dataset.Width}×{dataset.Height}."
            : null;
    }

    /// <summary>A pseudo-mask source's classifier must be a registered multi-label classifier of the dataset's classes and C×H×W.</summary>
    public string? ValidateLinks(JsonObject options, IDataset dataset, IModelRegistry models)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var parsed = SegmentationOptions.From(options);
        if (parsed.Masks == MaskSource.GroundTruth)
        {
            return null;
        }
        var input = new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false);
        return LinkedModels.ClassifierProblem(models, parsed.Classifier, parsed.ClassifierVersion, input, dataset.ClassNames, OutputActivation.Sigmoid) is { } link
            ? $"The linked {link}"
            : null;
    }

    /// <summary>The pseudo-mask phases (<see cref="PseudoMaskPhases"/>) when asked for, then <see cref="Train"/> on a dedicated thread (training is CPU-bound and long).</summary>
    public async Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var options = SegmentationOptions.From(run.Options);
        var pseudo = options.Masks == MaskSource.GroundTruth ? null : await PseudoMaskPhases.RunAsync(run, options, cancellationToken);
        return await Task.Factory.StartNew(() => Train(run, cancellationToken, pseudo), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <param name="pseudo">The training images' pseudo-masks (masks = seeds or crf), or null to train on the dataset's.</param>
    public static TrainedModel Train(TrainingRun run, CancellationToken cancellationToken, PseudoMaskSet? pseudo = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dataset = run.Dataset;
        var options = SegmentationOptions.From(run.Options);
        var classNames = SegmentationTraining.ClassNames(dataset);
        var (model, result) = SegmentationTraining.Train(run, cancellationToken, pseudo?.Masks);
        using (model)
        {
            var metrics = result.Validation.ToDictionary(classNames, "validation");
            if (pseudo?.Quality.MeanIou is { } quality)
            {
                metrics["pseudoMaskMeanIoU"] = quality; // the training images' pseudo-masks against their true masks
            }
            foreach (var (phase, report) in pseudo?.Phases ?? new Dictionary<string, PseudoMaskPhaseReport>())
            {
                PseudoMaskMetrics.Add(metrics, phase, report, classNames); // every phase's, so one ssdd job reports seeds, crf and ssdd side by side
            }
            foreach (var (name, value) in pseudo?.Diagnostics ?? new Dictionary<string, double>())
            {
                metrics["pseudoMask." + name] = value;
            }
            foreach (var (name, value) in result.Test?.ToDictionary(classNames, "test") ?? [])
            {
                metrics[name] = value;
            }
            run.Progress.Report(new TrainingProgress("exporting", result.EpochsRun, result.EpochsRun, 0, 0, new Dictionary<string, double>(), metrics));
            Directory.CreateDirectory(run.OutputDirectory);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.WeightsFileName), path => model.save(path));
            var onnx = SegmenterOnnx.Export(model, dataset.Height, dataset.Width);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, SegmenterFile), path => File.WriteAllBytes(path, onnx));

            metrics["bestEpoch"] = result.BestEpoch;
            var ssdd = ExportDetector(run, options);
            // A fully convolutional net: an upload of another size is resized to the model's and its masks back to the upload's.
            return new TrainedModel(
                ModelTask.Segmentation,
                new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: true, SegmentationOnnxContract.Input),
                [new ModelGraph(SegmenterRole, SegmenterFile), .. ssdd is null ? Array.Empty<ModelGraph>() : [new ModelGraph(DetectorRole, DetectorFile)]],
                [ModelManifest.WeightsFileName],
                metrics,
                // The link lets /segment?stages= recompute the seeds and CRF masks this model learnt from (issue 10), and SSDD's with the detector.
                Segmentation: new SegmentationSection(classNames, SegmenterRole, options.MasksName, pseudo?.Classifier,
                    pseudo is null ? [] : ssdd is null ? [PseudoMaskStages.Seed, PseudoMaskStages.Crf] : [PseudoMaskStages.Seed, PseudoMaskStages.Crf, PseudoMaskStages.Ssdd], ssdd,
                    pseudo is null ? null : new PseudoMaskSettings(options.Alpha, options.CrfParameters)));
        }
    }

    /// <summary>
    /// Static SSDD's networks (<see cref="StaticSsdd.DetectorPath"/>) copied into the version, with the biases they were
    /// integrated with; null for other mask sources, the dynamic variant (its masks are not static SSDD's) or a work folder without them.
    /// </summary>
    private static SsddSection? ExportDetector(TrainingRun run, SegmentationOptions options)
    {
        var source = StaticSsdd.DetectorPath(run);
        if (options is not { Masks: MaskSource.Ssdd } || options.Ssdd?.Dynamic == true || !File.Exists(source))
        {
            return null;
        }
        OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, DetectorFile), path => File.Copy(source, path, overwrite: true));
        return new SsddSection(DetectorRole, (options.Ssdd ?? SsddSettings.Default).Biases);
    }
}
