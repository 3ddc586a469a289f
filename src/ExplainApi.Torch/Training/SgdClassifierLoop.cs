using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The epoch/step loop of a classifier trained with plain SGD (no momentum, so the model's parameters are
/// the whole optimizer state) on cross-entropy: seeded shuffling, progress every step, validation after every
/// epoch, checkpoints every <see cref="TrainingRun.CheckpointEverySteps"/> steps and on cancellation, resume.
/// Each step runs in its own dispose scope.
/// </summary>
internal sealed class SgdClassifierLoop(TrainingRun run, LogisticRegressionOptions options, StratifiedSplit split, string fingerprint)
{
    private const string Training = "training", Validating = "validating";

    private readonly int _stepsPerEpoch = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;

    private long TotalSteps => (long)_stepsPerEpoch * options.Epochs;

    /// <returns>The last validation accuracy and mean loss.</returns>
    public (double Accuracy, double Loss) Run(nn.Module<Tensor, Tensor> model, CancellationToken cancellationToken)
    {
        var start = TrainingCheckpoint.Load(run.WorkDirectory);
        var resumed = start is not null;
        if (start is null)
        {
            start = new TrainingCheckpoint(fingerprint, 0, 0, unchecked((ulong)options.Seed) * 0x9E3779B97F4A7C15UL, 0, double.NaN, double.NaN, []);
        }
        else
        {
            Restore(model, start);
        }

        var step = start.Step;
        var (accuracy, validationLoss) = (start.ValidationAccuracy, start.ValidationLoss);
        var shuffler = new SplitMix64(start.ShuffleState);
        model.train();
        using var optimizer = new KeptAliveSgd(model.parameters(), options.LearningRate, options.WeightDecay);
        for (var epoch = start.Epoch; epoch < options.Epochs; epoch++)
        {
            var epochStart = shuffler.State;
            var order = (int[])split.Train.Clone();
            shuffler.Shuffle(order);
            var lossSum = epoch == start.Epoch ? start.EpochLossSum : 0;
            var first = epoch == start.Epoch ? (int)(step - (long)epoch * _stepsPerEpoch) : 0;
            for (var position = first; position < _stepsPerEpoch; position++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Save(model, step, epoch, epochStart, lossSum, accuracy, validationLoss);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var batch = order.AsSpan(position * options.BatchSize, Math.Min(options.BatchSize, order.Length - position * options.BatchSize));
                var loss = TrainStep(model, optimizer, batch);
                lossSum += loss;
                step++;
                run.Progress.Report(new TrainingProgress(Training, epoch + 1, options.Epochs, step, TotalSteps,
                    new Dictionary<string, double> { ["train"] = loss }, Metrics(accuracy, validationLoss), resumed));
                resumed = false;

                var epochDone = position == _stepsPerEpoch - 1;
                if (epochDone)
                {
                    (accuracy, validationLoss) = ClassificationBatches.Evaluate(model, run.Dataset, split.Validation);
                    run.Progress.Report(new TrainingProgress(Validating, epoch + 1, options.Epochs, step, TotalSteps,
                        new Dictionary<string, double> { ["train"] = lossSum / _stepsPerEpoch }, Metrics(accuracy, validationLoss)));
                }
                if (run.CheckpointEverySteps > 0 && step % run.CheckpointEverySteps == 0)
                {
                    // After an epoch's last step the checkpoint points at the next epoch, whose shuffle starts from the current state.
                    Save(model, step, epochDone ? epoch + 1 : epoch, epochDone ? shuffler.State : epochStart, epochDone ? 0 : lossSum, accuracy, validationLoss);
                }
            }
        }
        return (accuracy, validationLoss);
    }

    private double TrainStep(nn.Module<Tensor, Tensor> model, KeptAliveSgd optimizer, ReadOnlySpan<int> batch)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = ClassificationBatches.Load(run.Dataset, batch);
        optimizer.ZeroGrad();
        var loss = nn.functional.cross_entropy(model.call(inputs), labels);
        loss.backward();
        optimizer.Step();
        return loss.item<float>();
    }

    private static Dictionary<string, double> Metrics(double accuracy, double loss) =>
        double.IsNaN(accuracy) ? [] : new() { ["accuracy"] = accuracy, ["loss"] = loss };

    private void Save(nn.Module<Tensor, Tensor> model, long step, int epoch, ulong shuffleState, double lossSum, double accuracy, double loss)
    {
        var tensors = model.named_parameters()
            .Select(p => new NamedTensor(p.name, p.parameter.shape, LogisticRegressionTrainer.Values(p.parameter)))
            .ToList();
        new TrainingCheckpoint(fingerprint, step, epoch, shuffleState, lossSum, accuracy, loss, tensors).Save(run.WorkDirectory);
    }

    private void Restore(nn.Module<Tensor, Tensor> model, TrainingCheckpoint checkpoint)
    {
        checkpoint.EnsureContinues(fingerprint, options.Epochs, _stepsPerEpoch);
        var saved = checkpoint.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!saved.TryGetValue(name, out var tensor) || !tensor.Shape.SequenceEqual(parameter.shape))
            {
                throw new TrainingCheckpointException(
                    $"The training checkpoint {TrainingCheckpoint.FileName} has no parameter '{name}' of shape [{string.Join(", ", parameter.shape)}].");
            }
            using var scope = NewDisposeScope();
            parameter.copy_(torch.tensor(tensor.Values, tensor.Shape));
        }
    }
}
