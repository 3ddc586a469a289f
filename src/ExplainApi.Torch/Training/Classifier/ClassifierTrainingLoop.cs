using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>What a classifier run ends with: the validation (and, with a held-out test set, test) metrics of the kept (best) weights.</summary>
/// <param name="EpochsRun">Epochs completed, fewer than the option when early stopping ended the run.</param>
/// <param name="BestEpoch">1-based epoch whose weights were kept.</param>
/// <param name="Test">Metrics on the held-out test set, or null when <see cref="ClassifierOptions.TestFraction"/> is 0.</param>
public sealed record ClassifierTrainingResult(ClassifierMetrics Validation, int EpochsRun, int BestEpoch, bool StoppedEarly, ClassifierMetrics? Test = null);

/// <summary>
/// The epoch/step loop of a <see cref="ResNetClassifier"/>: Adam (β = 0.9, 0.999) on cross-entropy, seeded
/// shuffling and augmentation, validation after every epoch with <see cref="ClassifierMetrics"/>, early stopping
/// on the validation loss keeping the best weights, checkpoints every <see cref="TrainingRun.CheckpointEverySteps"/>
/// steps and on cancellation, resume. Each step runs in its own dispose scope.
/// <para>The checkpoint (<see cref="TrainingCheckpoint"/>) holds <c>model.*</c> (parameters and BatchNorm buffers),
/// <c>adam.exp_avg.*</c> and <c>adam.exp_avg_sq.*</c> per parameter (Adam's step count is the run's step count, since
/// every step updates every parameter), <c>early_stopping</c> (best loss, best epoch) and <c>best.*</c> (the best weights).</para>
/// </summary>
public sealed class ClassifierTrainingLoop(TrainingRun run, ClassifierOptions options, StratifiedSplit split, string fingerprint)
{
    private const string Training = "training", Validating = "validating";
    private const string ModelPrefix = "model.", BestPrefix = "best.", ExpAvg = "adam.exp_avg.", ExpAvgSq = "adam.exp_avg_sq.";

    private readonly int _stepsPerEpoch = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;

    private long TotalSteps => (long)_stepsPerEpoch * options.Epochs;

    public ClassifierTrainingResult Run(ResNetClassifier model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().ToList();
        using var optimizer = new KeptAliveAdam(parameters.Select(p => p.parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: options.WeightDecay);
        var stopping = new EarlyStopping(options.EarlyStoppingPatience);

        var start = TrainingCheckpoint.Load(run.WorkDirectory);
        var resumed = start is not null;
        if (start is null)
        {
            start = new TrainingCheckpoint(fingerprint, 0, 0, unchecked((ulong)options.Seed) * 0x9E3779B97F4A7C15UL, 0, double.NaN, double.NaN, []);
        }
        else
        {
            Restore(start, model, parameters, optimizer, stopping);
        }

        var step = start.Step;
        var (accuracy, validationLoss) = (start.ValidationAccuracy, start.ValidationLoss);
        var metrics = double.IsNaN(accuracy) ? new Dictionary<string, double>() : new() { ["accuracy"] = accuracy, ["loss"] = validationLoss };
        var shuffler = new SplitMix64(start.ShuffleState);
        model.train();
        var epoch = start.Epoch;
        for (; epoch < options.Epochs && !stopping.ShouldStop(epoch); epoch++)
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
                    Save(model, parameters, optimizer, stopping, step, epoch, epochStart, lossSum, accuracy, validationLoss);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var batch = order.AsSpan(position * options.BatchSize, Math.Min(options.BatchSize, order.Length - position * options.BatchSize));
                var loss = TrainStep(model, optimizer, batch, step);
                lossSum += loss;
                step++;
                run.Progress.Report(new TrainingProgress(Training, epoch + 1, options.Epochs, step, TotalSteps,
                    new Dictionary<string, double> { ["train"] = loss }, metrics, resumed));
                resumed = false;

                var epochDone = position == _stepsPerEpoch - 1;
                if (epochDone)
                {
                    var validation = ClassifierMetrics.Evaluate(model, run.Dataset, split.Validation);
                    (accuracy, validationLoss) = (validation.Accuracy, validation.Loss);
                    metrics = validation.ToDictionary(run.Dataset.ClassNames);
                    stopping.Observe(epoch, validation.Loss, model);
                    run.Progress.Report(new TrainingProgress(Validating, epoch + 1, options.Epochs, step, TotalSteps,
                        new Dictionary<string, double> { ["train"] = lossSum / _stepsPerEpoch }, metrics));
                }
                if (run.CheckpointEverySteps > 0 && step % run.CheckpointEverySteps == 0)
                {
                    // After an epoch's last step the checkpoint points at the next epoch, whose shuffle starts from the current state.
                    Save(model, parameters, optimizer, stopping, step, epochDone ? epoch + 1 : epoch, epochDone ? shuffler.State : epochStart,
                        epochDone ? 0 : lossSum, accuracy, validationLoss);
                }
            }
        }

        stopping.RestoreBest(model);
        var best = ClassifierMetrics.Evaluate(model, run.Dataset, split.Validation);
        return new ClassifierTrainingResult(best, epoch, stopping.BestEpoch + 1, epoch < options.Epochs);
    }

    private double TrainStep(ResNetClassifier model, KeptAliveAdam optimizer, ReadOnlySpan<int> batch, long step)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = ClassificationBatches.Load(run.Dataset, batch);
        if (options.Augmentation)
        {
            // Seeded by (seed, step) alone, so a resumed run draws what the interrupted one would have.
            inputs = BatchAugmentation.Apply(inputs, new SplitMix64(unchecked(((ulong)options.Seed << 32) ^ ((ulong)step * 0xD1B54A32D192ED03UL))));
        }
        optimizer.ZeroGrad();
        var loss = nn.functional.cross_entropy(model.call(inputs), labels);
        loss.backward();
        optimizer.Step();
        return loss.item<float>();
    }

    private void Save(ResNetClassifier model, List<(string Name, Parameter Parameter)> parameters, KeptAliveAdam optimizer,
        EarlyStopping stopping, long step, int epoch, ulong shuffleState, double lossSum, double accuracy, double loss)
    {
        var tensors = NamedTensors.Capture(NamedTensors.StateOf(model), ModelPrefix)
            .Concat(NamedTensors.Capture(parameters.Select((p, i) => (p.Name, optimizer.ExpAvg[i])), ExpAvg))
            .Concat(NamedTensors.Capture(parameters.Select((p, i) => (p.Name, optimizer.ExpAvgSq[i])), ExpAvgSq))
            .Concat(stopping.Checkpoint(BestPrefix))
            .ToList();
        new TrainingCheckpoint(fingerprint, step, epoch, shuffleState, lossSum, accuracy, loss, tensors).Save(run.WorkDirectory);
    }

    private void Restore(TrainingCheckpoint checkpoint, ResNetClassifier model, List<(string Name, Parameter Parameter)> parameters,
        KeptAliveAdam optimizer, EarlyStopping stopping)
    {
        checkpoint.EnsureContinues(fingerprint, options.Epochs, _stepsPerEpoch);
        var saved = checkpoint.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        NamedTensors.CopyInto(NamedTensors.StateOf(model), saved, ModelPrefix);
        NamedTensors.CopyInto(parameters.Select((p, i) => (p.Name, optimizer.ExpAvg[i])), saved, ExpAvg);
        NamedTensors.CopyInto(parameters.Select((p, i) => (p.Name, optimizer.ExpAvgSq[i])), saved, ExpAvgSq);
        optimizer.Steps = checkpoint.Step;
        stopping.Restore(saved, BestPrefix);
    }
}
