using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// <c>logistic-regression</c>: multinomial logistic regression on flattened pixels (Linear(C·H·W → classes),
/// cross-entropy), trained with plain SGD without momentum (so a checkpoint needs no optimizer state), on a
/// seeded stratified train/validation split. Exported to ONNX as <see cref="LogisticRegressionOnnx"/>.
/// </summary>
public sealed class LogisticRegressionTrainer : ITrainer
{
    public const string KindName = "logistic-regression";

    // torch.manual_seed sets libtorch's global generator: two jobs seeding and initialising at once could
    // interleave, so seeding and weight initialisation happen together under this lock.
    private static readonly Lock InitializationGate = new();

    public string Kind => KindName;

    public string Description =>
        "Multinomial logistic regression on flattened pixels (one linear layer, cross-entropy, SGD). "
        + "Options: epochs, batchSize, learningRate, weightDecay, seed, validationFraction.";

    public TrainerOptions ValidateOptions(JsonObject? options) => LogisticRegressionOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset) => ClassificationDatasets.Check(dataset, Kind);

    /// <summary>Runs <see cref="Train"/> on a dedicated thread (training is CPU-bound and long).</summary>
    public Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Train(run, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The synchronous training run, on the calling thread (see <see cref="ITrainer.TrainAsync"/> for the contract).</summary>
    /// <exception cref="TrainingCheckpointException">The checkpoint in the work directory is corrupted or belongs to another job.</exception>
    public TrainedModel Train(TrainingRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        TorchRuntime.ConfigureThreads();
        var options = LogisticRegressionOptions.From(run.Options);
        var dataset = run.Dataset;
        var problem = ValidateDataset(dataset);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        var split = StratifiedSplit.Create(dataset, options.ValidationFraction, options.Seed);
        var loop = new SgdClassifierLoop(run, options, split, Fingerprint(options, dataset));
        using var model = CreateModel(dataset, options.Seed);
        var (accuracy, loss) = loop.Run(model, cancellationToken);

        Directory.CreateDirectory(run.OutputDirectory);
        OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.WeightsFileName), path => model.save(path));
        var onnx = LogisticRegressionOnnx.Export(
            Values(model.Fc.weight!), Values(model.Fc.bias!), dataset.Channels, dataset.Height, dataset.Width, dataset.ClassNames.Count);
        OutputFiles.WriteAtomically(Path.Combine(run.OutputDirectory, ModelManifest.OnnxFileName), path => File.WriteAllBytes(path, onnx));

        return TrainedModel.Classifier(
            ModelManifest.OnnxFileName,
            ModelManifest.WeightsFileName,
            new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false, LogisticRegressionOnnx.Input),
            dataset.ClassNames,
            [],
            new Dictionary<string, double> { ["validationAccuracy"] = accuracy, ["validationLoss"] = loss });
    }

    private static LogisticRegressionModel CreateModel(IDataset dataset, int seed)
    {
        lock (InitializationGate)
        {
            random.manual_seed(seed);
            var model = new LogisticRegressionModel(dataset.Channels, dataset.Height, dataset.Width, dataset.ClassNames.Count);
            // Drawn again from a generator of our own: any other code drawing from the global one between the seed
            // and the draw (a concurrent job or test) would change the weights. nn.Linear's default U(±1/√fan_in).
            using var generator = new Generator((ulong)seed);
            var bound = 1 / Math.Sqrt(model.Features);
            using (no_grad())
            {
                // Tensor.uniform_, not nn.init.uniform_: TorchSharp 0.107's init ignores the generator it is given.
                model.Fc.weight!.uniform_(-bound, bound, generator: generator);
                model.Fc.bias!.uniform_(-bound, bound, generator: generator);
            }

            return model;
        }
    }

    private static string Fingerprint(LogisticRegressionOptions options, IDataset dataset) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{KindName} epochs={options.Epochs} batch={options.BatchSize} lr={options.LearningRate:R} wd={options.WeightDecay:R} seed={options.Seed} "
            + $"val={options.ValidationFraction:R} dataset={dataset.Reference} n={dataset.Count} shape={dataset.Channels}x{dataset.Height}x{dataset.Width} classes={dataset.ClassNames.Count}");

    internal static float[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().data<float>().ToArray();
    }
}
