using System.Globalization;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>What a VA-GAN run ends with: the kept generator's validation score and step, and the direction's classes.</summary>
public sealed record VaGanTrainingResult(VaGanScore Validation, int BestStep, string FromClass, string ToClass);

/// <summary>One VA-GAN run: options, seeded split, networks and optimizers, then the <see cref="TrainingLoop"/> over <see cref="VaGanSteps"/>.</summary>
public static class VaGanTraining
{
    /// <returns>The generator with the best validation weights (in eval mode; the caller disposes it) and the result.</returns>
    /// <exception cref="ArgumentException">The options are invalid or name classes the dataset lacks.</exception>
    /// <exception cref="TrainingCheckpointException">The checkpoint in the work directory is corrupted or belongs to another job.</exception>
    public static (MapGenerator Generator, VaGanTrainingResult Result) Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        TorchRuntime.ConfigureThreads();
        var options = VaGanOptions.From(run.Options);
        // Batches are drawn with replacement for thousands of steps: build each image once.
        var dataset = new MemoizedDataset(run.Dataset, MemoizedDataset.DefaultBudgetBytes);
        var (from, to) = Classes(dataset.ClassNames, options) is { } pair ? pair : throw new ArgumentException(ClassError(dataset.ClassNames, options));
        var split = StratifiedSplit.ExcludingTest(dataset, options.ValidationFraction, options.Seed); // the test part stays unseen
        int[] Of(int[] indices, int label) => [.. indices.Where(i => dataset.LabelOf(i) == label)];

        var generator = CreateGenerator(dataset, options);
        try
        {
            using var critic = CreateCritic(dataset, options);
            using var generatorAdam = new KeptAliveAdam(generator.parameters(), options.LearningRate, beta1: 0, beta2: 0.9, weightDecay: 0);
            using var criticAdam = new KeptAliveAdam(critic.parameters(), options.LearningRate, beta1: 0, beta2: 0.9, weightDecay: 0);
            using var losses = new WassersteinLosses(options.GpWeight, options.L1Weight);
            var fromTrain = Of(split.Train, from);
            var validation = new VaGanValidation(dataset, Of(split.Validation, from), Of(split.Validation, to), fromTrain);
            var steps = new VaGanSteps(options, generator, critic, generatorAdam, criticAdam, losses,
                new VaGanBatches(dataset, fromTrain, Of(split.Train, to), options.BatchSize, options.Seed), validation);
            var content = new CheckpointContent()
                .Module("generator.", generator).Module("critic.", critic)
                .Adam("generator_adam.", generatorAdam, [.. generator.named_parameters().Select(p => p.name)])
                .Adam("critic_adam.", criticAdam, [.. critic.named_parameters().Select(p => p.name)]);
            steps.Declare(content);
            generator.train();
            critic.train();
            new TrainingLoop(run, Fingerprint(options, run.Dataset), content, epochs: 1, options.Iterations, shuffleSeed: 0).Run(steps, cancellationToken);

            steps.RestoreBest();
            generator.eval();
            var (score, bestStep) = steps.Best!.Value; // the last step always validates
            return (generator, new VaGanTrainingResult(score, bestStep, dataset.ClassNames[from], dataset.ClassNames[to]));
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    public static MapGenerator CreateGenerator(IDataset dataset, VaGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var generator = new MapGenerator(dataset.Channels, VaGanOptions.Channels(options.GeneratorWidth));
        SeededInitialization.Apply(generator, options.Seed);
        return generator;
    }

    public static Critic CreateCritic(IDataset dataset, VaGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var critic = new Critic(dataset.Channels, VaGanOptions.Channels(options.CriticWidth));
        SeededInitialization.Apply(critic, options.Seed + 1L);
        return critic;
    }

    /// <summary>The label indices of the direction (default: class 1 → class 0, METHODS.md §2), or null when the dataset lacks a named class.</summary>
    public static (int From, int To)? Classes(IReadOnlyList<string> classNames, VaGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(options);
        var names = classNames.ToList();
        var from = options.FromClass is null ? 1 : names.IndexOf(options.FromClass);
        var to = options.ToClass is null ? 0 : names.IndexOf(options.ToClass);
        return from < 0 || to < 0 || from >= names.Count || from == to ? null : (from, to);
    }

    public static string ClassError(IReadOnlyList<string> classNames, VaGanOptions options)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(options);
        return $"The dataset's classes are {string.Join(", ", classNames)}; the VA-GAN translates fromClass "
            + $"'{options.FromClass ?? classNames.ElementAtOrDefault(1)}' to toClass '{options.ToClass ?? classNames.ElementAtOrDefault(0)}', two different classes of the dataset.";
    }

    private static string Fingerprint(VaGanOptions options, IDataset dataset) =>
        string.Create(CultureInfo.InvariantCulture,
            $"vagan {options.Fingerprint()} dataset={dataset.Reference} n={dataset.Count} shape={dataset.Channels}x{dataset.Height}x{dataset.Width} classes={string.Join(",", dataset.ClassNames)}");
}
