using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The steps of a classifier trained with plain SGD (no momentum, so the model's parameters are the whole
/// optimizer state) on cross-entropy, inside a <see cref="TrainingLoop"/>: seeded shuffling, validation after
/// every epoch. Each step runs in its own dispose scope.
/// </summary>
internal sealed class SgdClassifierLoop(TrainingRun run, LogisticRegressionOptions options, StratifiedSplit split, string fingerprint)
{
    private readonly int _stepsPerEpoch = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;

    /// <returns>The last validation accuracy and mean loss.</returns>
    public (double Accuracy, double Loss) Run(nn.Module<Tensor, Tensor> model, CancellationToken cancellationToken)
    {
        using var optimizer = new KeptAliveSgd(model.parameters(), options.LearningRate, options.WeightDecay);
        var steps = new Steps(run, options, split, _stepsPerEpoch, model, optimizer);
        var content = new CheckpointContent().Parameters("", model);
        steps.Declare(content);
        model.train();
        new TrainingLoop(run, fingerprint, content, options.Epochs, _stepsPerEpoch, unchecked((ulong)options.Seed) * 0x9E3779B97F4A7C15UL)
            .Run(steps, cancellationToken);
        return (steps.Accuracy, steps.Loss);
    }

    private sealed class Steps(TrainingRun run, LogisticRegressionOptions options, StratifiedSplit split, int stepsPerEpoch,
        nn.Module<Tensor, Tensor> model, KeptAliveSgd optimizer) : ITrainingSteps
    {
        private int[] _order = [];
        private double _lossSum;

        public double Accuracy { get; private set; } = double.NaN;

        public double Loss { get; private set; } = double.NaN;

        public IReadOnlyDictionary<string, double> Metrics =>
            double.IsNaN(Accuracy) ? new Dictionary<string, double>() : new() { ["accuracy"] = Accuracy, ["loss"] = Loss };

        public void Declare(CheckpointContent content) => content
            .Scalar("epoch_loss_sum", () => _lossSum, v => _lossSum = v)
            .Scalar("validation_accuracy", () => Accuracy, v => Accuracy = v)
            .Scalar("validation_loss", () => Loss, v => Loss = v);

        public void BeginEpoch(int epoch, SplitMix64 shuffler)
        {
            _order = (int[])split.Train.Clone();
            shuffler.Shuffle(_order);
        }

        public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position)
        {
            using var scope = NewDisposeScope();
            var batch = _order.AsSpan(position * options.BatchSize, Math.Min(options.BatchSize, _order.Length - position * options.BatchSize));
            var (inputs, labels) = ClassificationBatches.Load(run.Dataset, batch);
            optimizer.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(inputs), labels);
            loss.backward();
            optimizer.Step();
            var value = loss.item<float>();
            _lossSum += value;
            return new Dictionary<string, double> { ["train"] = value };
        }

        public void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
        {
            if (epochDone)
            {
                (Accuracy, Loss) = ClassificationBatches.Evaluate(model, run.Dataset, split.Validation);
                loop.Report("validating", epoch, new Dictionary<string, double> { ["train"] = _lossSum / stepsPerEpoch }, Metrics);
                _lossSum = 0;
            }
        }
    }
}
