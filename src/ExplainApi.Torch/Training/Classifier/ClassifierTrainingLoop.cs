using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>What a classifier run ends with: the validation (and, with a held-out test set, test) metrics of the kept (best) weights.</summary>
/// <param name="EpochsRun">Epochs completed, fewer than the option when early stopping ended the run.</param>
/// <param name="BestEpoch">1-based epoch whose weights were kept.</param>
/// <param name="Test">Metrics on the held-out test set, or null when <see cref="ClassifierOptions.TestFraction"/> is 0.</param>
public sealed record ClassifierTrainingResult(ClassifierMetrics Validation, int EpochsRun, int BestEpoch, bool StoppedEarly, ClassifierMetrics? Test = null);

/// <summary>
/// The steps of a <see cref="ResNetClassifier"/> inside a <see cref="TrainingLoop"/>: Adam (β = 0.9, 0.999) on the
/// dataset's <see cref="ClassifierObjective"/> loss (cross-entropy, or the multi-label soft margin), seeded shuffling and augmentation, validation after every epoch with <see cref="ClassifierMetrics"/>,
/// early stopping on the validation loss keeping the best weights. Each step runs in its own dispose scope.
/// <para>The checkpoint holds <c>model.*</c> (parameters and BatchNorm buffers), <c>adam.exp_avg.*</c> and
/// <c>adam.exp_avg_sq.*</c> per parameter, <c>early_stopping</c> (best loss, best epoch) and <c>best.*</c> (the best weights).</para>
/// </summary>
public sealed class ClassifierTrainingLoop(TrainingRun run, ClassifierOptions options, StratifiedSplit split, string fingerprint)
{
    private const string BestPrefix = "best.";

    private readonly int _stepsPerEpoch = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;

    public ClassifierTrainingResult Run(ResNetClassifier model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().ToList();
        using var optimizer = new KeptAliveAdam(parameters.Select(p => p.parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: options.WeightDecay);
        var stopping = new EarlyStopping(options.EarlyStoppingPatience);
        var steps = new Steps(run, options, split, _stepsPerEpoch, model, optimizer, stopping);
        var content = new CheckpointContent()
            .Module("model.", model)
            .Adam("adam.", optimizer, [.. parameters.Select(p => p.name)])
            .Tensors(() => stopping.Checkpoint(BestPrefix), saved => stopping.Restore(saved, BestPrefix));
        steps.Declare(content);
        var loop = new TrainingLoop(run, fingerprint, content, options.Epochs, _stepsPerEpoch, unchecked((ulong)options.Seed) * 0x9E3779B97F4A7C15UL);
        model.train();
        var epochs = loop.Run(steps, cancellationToken);

        stopping.RestoreBest(model);
        var best = ClassifierMetrics.Evaluate(model, run.Dataset, split.Validation);
        return new ClassifierTrainingResult(best, epochs, stopping.BestEpoch + 1, epochs < options.Epochs);
    }

    private sealed class Steps(TrainingRun run, ClassifierOptions options, StratifiedSplit split, int stepsPerEpoch, ResNetClassifier model,
        KeptAliveAdam optimizer, EarlyStopping stopping) : ITrainingSteps
    {
        private readonly ClassifierObjective _objective = ClassifierObjective.For(run.Dataset);
        private int[] _order = [];
        private double _lossSum, _accuracy = double.NaN, _validationLoss = double.NaN;
        private Dictionary<string, double>? _metrics;

        public IReadOnlyDictionary<string, double> Metrics =>
            _metrics ?? (double.IsNaN(_accuracy) ? [] : new() { ["accuracy"] = _accuracy, ["loss"] = _validationLoss });

        public void Declare(CheckpointContent content) => content
            .Scalar("epoch_loss_sum", () => _lossSum, v => _lossSum = v)
            .Scalar("validation_accuracy", () => _accuracy, v => _accuracy = v)
            .Scalar("validation_loss", () => _validationLoss, v => _validationLoss = v);

        public bool ShouldStop(int nextEpoch) => stopping.ShouldStop(nextEpoch);

        public void BeginEpoch(int epoch, SplitMix64 shuffler)
        {
            _order = (int[])split.Train.Clone();
            shuffler.Shuffle(_order);
        }

        public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position)
        {
            var batch = _order.AsSpan(position * options.BatchSize, Math.Min(options.BatchSize, _order.Length - position * options.BatchSize));
            var loss = TrainStep(batch, step);
            _lossSum += loss;
            return new Dictionary<string, double> { ["train"] = loss };
        }

        public void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
        {
            if (!epochDone)
            {
                return;
            }
            var validation = ClassifierMetrics.Evaluate(model, run.Dataset, split.Validation);
            (_accuracy, _validationLoss) = (validation.Accuracy, validation.Loss);
            _metrics = validation.ToDictionary(run.Dataset.ClassNames);
            stopping.Observe(epoch, validation.Loss, model);
            loop.Report("validating", epoch, new Dictionary<string, double> { ["train"] = _lossSum / stepsPerEpoch }, _metrics);
            _lossSum = 0;
        }

        private double TrainStep(ReadOnlySpan<int> batch, long step)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = _objective.Load(run.Dataset, batch);
            if (options.Augmentation)
            {
                // Seeded by (seed, step) alone, so a resumed run draws what the interrupted one would have.
                inputs = BatchAugmentation.Apply(inputs, new SplitMix64(unchecked(((ulong)options.Seed << 32) ^ ((ulong)step * 0xD1B54A32D192ED03UL))));
            }
            optimizer.ZeroGrad();
            var loss = _objective.Loss(model.call(inputs), targets);
            loss.backward();
            optimizer.Step();
            return loss.item<float>();
        }
    }
}
