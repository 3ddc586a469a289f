using System.Globalization;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>One classifier run: options, seeded stratified split and model, then <see cref="ClassifierTrainingLoop"/>.</summary>
public static class ClassifierTraining
{
    /// <returns>The trained model (with the best epoch's weights; the caller disposes it) and its result.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="TrainingCheckpointException">The checkpoint in the work directory is corrupted or belongs to another job.</exception>
    public static (ResNetClassifier Model, ClassifierTrainingResult Result) Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        TorchRuntime.ConfigureThreads();
        var options = ClassifierOptions.From(run.Options);
        var dataset = run.Dataset;
        var (split, test) = Split(dataset, options);
        var model = CreateModel(dataset, options);
        try
        {
            var result = new ClassifierTrainingLoop(run, options, split, Fingerprint(options, dataset)).Run(model, cancellationToken);
            return (model, test.Length == 0 ? result : result with { Test = ClassifierMetrics.Evaluate(model, dataset, test) });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Train/validation indices, and the held-out test indices (empty when <see cref="ClassifierOptions.TestFraction"/> is 0).</summary>
    public static (StratifiedSplit TrainValidation, int[] Test) Split(IDataset dataset, ClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        return StratifiedSplit.Create(dataset, options.TestFraction, options.ValidationFraction, options.Seed);
    }

    public static ResNetClassifier CreateModel(IDataset dataset, ClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var model = new ResNetClassifier(dataset.Channels, dataset.Height, dataset.Width, dataset.ClassNames.Count, options.Width, options.Depth, options.StemStride);
        model.InitializeWeights(options.Seed);
        return model;
    }

    private static string Fingerprint(ClassifierOptions options, IDataset dataset) =>
        string.Create(CultureInfo.InvariantCulture,
            $"classifier {options.Fingerprint()} dataset={dataset.Reference} n={dataset.Count} shape={dataset.Channels}x{dataset.Height}x{dataset.Width} classes={dataset.ClassNames.Count}");
}
