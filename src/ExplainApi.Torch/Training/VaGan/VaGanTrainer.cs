using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Export;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// Job kind "vagan": a VA-GAN (Baumgartner et al., CVPR 2018) trained by <see cref="VaGanTraining"/>, exported by
/// <see cref="VaGanOnnx"/> as one <c>generator</c> graph (input → translated = tanh(x + M(x))), a difference-map model
/// whose one direction <c>a2b</c> translates fromClass into toClass, optionally linked to the classifier it explains.
/// </summary>
public sealed class VaGanTrainer : ITrainer
{
    public const string KindName = "vagan", GeneratorRole = "generator", GeneratorFile = "generator.onnx", Direction = "a2b";

    public string Kind => KindName;

    public string Description =>
        "VA-GAN difference maps: U-Net map generator M, y = tanh(x + M(x)), WGAN-GP critic, L1 map penalty (METHODS.md §2). "
        + "Options: fromClass, toClass (default class 1 → class 0), iterations (generator steps), batchSize, profile (cpu | paper), "
        + "generatorWidth, criticWidth (times the paper's), criticSteps, warmupCriticSteps, warmupSteps, l1Weight, gpWeight, learningRate, "
        + "seed, validationFraction, validateEvery, classifier and classifierVersion (a registered classifier the maps explain).";

    public TrainerOptions ValidateOptions(JsonObject? options) => VaGanOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Height % 8 != 0 || dataset.Width % 8 != 0 || Math.Min(dataset.Height, dataset.Width) < 16
            ? $"The VA-GAN's U-Net pools three times and its critic four: images must be at least 16×16 with sides divisible by 8; the dataset's are {dataset.Width}×{dataset.Height}."
            : ClassificationDatasets.Check(dataset, Kind);
    }

    /// <summary>The class pair must be the dataset's.</summary>
    public string? ValidateDatasetOptions(JsonObject options, IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var parsed = VaGanOptions.From(options);
        return VaGanTraining.Classes(dataset.ClassNames, parsed) is null ? VaGanTraining.ClassError(dataset.ClassNames, parsed) : null;
    }

    /// <summary>A linked classifier must exist, classify, take the same C×H×W and know both classes (the pair is checked by <see cref="ValidateDatasetOptions"/>).</summary>
    public string? ValidateLinks(JsonObject options, IDataset dataset, IModelRegistry models)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(models);
        var parsed = VaGanOptions.From(options);
        if (VaGanTraining.Classes(dataset.ClassNames, parsed) is not var (from, to))
        {
            return null;
        }
        if (parsed.Classifier is not { } name)
        {
            return null;
        }
        var input = new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false);
        return LinkedModels.ClassifierProblem(models, name, parsed.ClassifierVersion, input, [dataset.ClassNames[from], dataset.ClassNames[to]]) is { } link
            ? $"The linked {link}"
            : null;
    }

    /// <summary>Runs <see cref="Train"/> on a dedicated thread (training is CPU-bound and long).</summary>
    public Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Train(run, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static TrainedModel Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dataset = run.Dataset;
        var options = VaGanOptions.From(run.Options);
        var classifier = options.Classifier is { } name ? LinkedModels.ResolveClassifier(run.Models, name, options.ClassifierVersion) : null; // before training: a link that vanished fails the job now, not after hours
        var (generator, result) = VaGanTraining.Train(run, cancellationToken);
        using (generator)
        {
            var metrics = new Dictionary<string, double> { ["validationWasserstein"] = result.Validation.Estimate, ["bestStep"] = result.BestStep };
            if (!double.IsNaN(result.Validation.Ncc))
            {
                metrics["validationNcc"] = result.Validation.Ncc;
            }
            run.Progress.Report(new TrainingProgress("exporting", 1, 1, options.Iterations, options.Iterations, new Dictionary<string, double>(), metrics));
            Directory.CreateDirectory(run.OutputDirectory);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.WeightsFileName), path => generator.save(path));
            var onnx = VaGanOnnx.Export(generator, dataset.Height, dataset.Width, result.FromClass, result.ToClass);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, GeneratorFile), path => File.WriteAllBytes(path, onnx));

            return new TrainedModel(
                ModelTask.DifferenceMap,
                new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false, DifferenceMapOnnxContract.Input),
                [new ModelGraph(GeneratorRole, GeneratorFile)],
                [ModelManifest.WeightsFileName],
                metrics,
                DifferenceMap: new DifferenceMapSection(KindName, dataset.ClassNames,
                    [new DifferenceDirection(Direction, GeneratorRole, result.FromClass, result.ToClass)], classifier));
        }
    }
}
