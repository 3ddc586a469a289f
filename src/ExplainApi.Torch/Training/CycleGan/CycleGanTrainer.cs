using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Export;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// Job kind "cyclegan" (Zhu et al., ICCV 2017; METHODS.md §2): two <see cref="ResnetGenerator"/>s and two
/// <see cref="PatchDiscriminator"/>s trained by <see cref="CycleGanTrainingLoop"/>, served as a difference-map model with
/// both directions: <c>generator.onnx</c> (A → B) and <c>generator-b2a.onnx</c> (B → A), see <see cref="CycleGanOnnx"/>.
/// </summary>
public sealed class CycleGanTrainer : ITrainer
{
    public const string KindName = "cyclegan", Method = "cyclegan";
    public const string GeneratorRole = "generator", GeneratorB2ARole = "generator-b2a";

    public string Kind => KindName;

    public string Description =>
        "CycleGAN (ResNet generators, 70×70 PatchGAN, LSGAN, cycle and identity L1, image pool, linear decay) translating class A ↔ B. "
        + "Options: classA, classB, profile (cpu|paper), iterations, decayIterations, batchSize, generatorWidth, generatorBlocks (0: 6 up to 128 px, 9 above), "
        + "transposedConvolution, discriminatorWidth, discriminatorLayers, lambdaCycle, lambdaIdentity, learningRate, poolSize, seed, validationFraction, "
        + "validateEvery, validationImages, classifier, classifierVersion, selection (cycleL1 | flipRate: the linked classifier's lower flip rate on validation images | "
        + "flipRatePerDirection: each generator at its own direction's best flip rate).";

    public TrainerOptions ValidateOptions(JsonObject? options) => CycleGanOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Channels is not (1 or 3)
            ? $"CycleGAN takes 1- or 3-channel images; the dataset has {dataset.Channels}."
            : dataset.Height % 4 != 0 || dataset.Width % 4 != 0 || Math.Min(dataset.Height, dataset.Width) < 16
                ? $"CycleGAN needs image sides of at least 16 divisible by 4 (two stride-2 levels); the dataset's are {dataset.Width}×{dataset.Height}."
                : ClassificationDatasets.Check(dataset, Kind);
    }

    public string? ValidateDatasetOptions(JsonObject options, IDataset dataset) =>
        CycleGanLinks.ClassProblem(CycleGanOptions.From(options), dataset);

    public string? ValidateLinks(JsonObject options, IDataset dataset, IModelRegistry models) =>
        CycleGanLinks.Problem(CycleGanOptions.From(options), dataset, models);

    /// <summary>Runs <see cref="Train"/> on a dedicated thread (training is CPU-bound and long).</summary>
    public Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Train(run, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static TrainedModel Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        TorchRuntime.ConfigureThreads(); // on this training thread, as every trainer: half the cores, the rest serve requests
        // Batches are drawn with replacement for thousands of steps: build each image once.
        var (dataset, options) = (new MemoizedDataset(run.Dataset, MemoizedDataset.DefaultBudgetBytes), CycleGanOptions.From(run.Options));
        var (a, b) = CycleGanLinks.Classes(options, dataset);
        var classifier = CycleGanLinks.Classifier(options, run.Models);
        var split = StratifiedSplit.ExcludingTest(dataset, options.ValidationFraction, options.Seed); // the test part stays unseen
        int[] Of(int[] indices, int label, int limit = int.MaxValue) => [.. indices.Where(i => dataset.LabelOf(i) == label).Take(limit)];
        var batches = new UnpairedBatches(dataset, Of(split.Train, a), Of(split.Train, b), options.BatchSize, options.Seed);
        var (classA, classB) = (dataset.ClassNames[a], dataset.ClassNames[b]);
        var (a2b, b2a) = (new DifferenceDirection("a2b", GeneratorRole, classA, classB), new DifferenceDirection("b2a", GeneratorB2ARole, classB, classA));
        // With a linked classifier served to trainers every validation reports its flip rates; selecting on them needs it.
        var judge = classifier is not null && run.ExplainableModels is { } served ? new FlipRateJudge(served, classifier, dataset) : null;
        if (options.SelectsOnFlipRate && judge is null)
        {
            throw new InvalidOperationException($"selection \"{options.Selection}\" needs the linked classifier, served to trainers by this host.");
        }
        var validation = new CycleGanValidation(dataset, Of(split.Validation, a, options.ValidationImages), Of(split.Validation, b, options.ValidationImages),
            a2b, b2a, judge, options.SelectsOnFlipRate);

        using var networks = new CycleGanNetworks(dataset.Channels, options.GeneratorWidth, options.BlocksFor(dataset.Height, dataset.Width),
            options.DiscriminatorWidth, options.DiscriminatorLayers, options.TransposedConvolution);
        networks.InitializeWeights(options.Seed);
        var fingerprint = $"{options.Fingerprint()} dataset={dataset.Reference}" + (options.SelectsOnFlipRate ? $" judge={classifier!.Name}@{classifier.Version}" : "");
        var result = new CycleGanTrainingLoop(run, options, batches, validation, fingerprint).Run(networks, cancellationToken);

        // Named as the classifier's metrics: validationCycleL1, validationCycleL1.a2b, validationMapEnergy.b2a, …
        var metrics = result.Validation.ToDictionary(m => "validation" + char.ToUpperInvariant(m.Key[0]) + m.Key[1..], m => m.Value);
        if (result.BestStepB2A is { } b2aStep)
        {
            (metrics[$"bestStep.{a2b.Name}"], metrics[$"bestStep.{b2a.Name}"]) = (result.BestStep, b2aStep); // the pair comes from two steps
        }
        else
        {
            metrics["bestStep"] = result.BestStep;
        }
        run.Progress.Report(new TrainingProgress("exporting", 1, 1, options.TotalSteps, options.TotalSteps, new Dictionary<string, double>(), metrics));
        Directory.CreateDirectory(run.OutputDirectory);
        OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.WeightsFileName), path => networks.save(path));
        foreach (var (role, generator, from, to) in new[] { (GeneratorRole, networks.GeneratorA2B, classA, classB), (GeneratorB2ARole, networks.GeneratorB2A, classB, classA) })
        {
            var onnx = CycleGanOnnx.Export(generator, dataset.Height, dataset.Width, $"cyclegan_{role.Replace('-', '_')}", from, to);
            OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, role + ".onnx"), path => File.WriteAllBytes(path, onnx));
        }

        return new TrainedModel(
            ModelTask.DifferenceMap,
            new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false, DifferenceMapOnnxContract.Input),
            [new ModelGraph(GeneratorRole, GeneratorRole + ".onnx"), new ModelGraph(GeneratorB2ARole, GeneratorB2ARole + ".onnx")],
            [ModelManifest.WeightsFileName],
            metrics,
            DifferenceMap: new DifferenceMapSection(Method, dataset.ClassNames,
                [a2b, b2a], classifier));
    }
}
