using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The part every trainer shares: resume from the work directory's <see cref="TrainingCheckpoint"/> (refusing one
/// of another configuration), the epoch/step loop with a seeded shuffle state, cancellation (save a checkpoint,
/// then throw <see cref="OperationCanceledException"/>), checkpoints every <see cref="TrainingRun.CheckpointEverySteps"/>
/// steps and progress reports (the first one after a resume says so). What is saved is the
/// <see cref="CheckpointContent"/>; what a step does is the <see cref="ITrainingSteps"/>.
/// </summary>
/// <param name="shuffleSeed">Initial <see cref="SplitMix64"/> state of a fresh run.</param>
/// <param name="stepPhase">The phase each step reports (a job with several trained phases names each).</param>
public sealed class TrainingLoop(TrainingRun run, string fingerprint, CheckpointContent content, int epochs, int stepsPerEpoch, ulong shuffleSeed, string stepPhase = TrainingLoop.TrainingPhase)
{
    public const string TrainingPhase = "training";

    private bool _resumed;

    public long TotalSteps => (long)stepsPerEpoch * epochs;

    /// <summary>Steps done so far.</summary>
    public long Step { get; private set; }

    /// <summary>Restores <paramref name="content"/> from the work directory's checkpoint, when there is one, and runs the remaining steps.</summary>
    /// <returns>The number of epochs run (fewer than asked when <see cref="ITrainingSteps.ShouldStop"/> ended the run).</returns>
    /// <exception cref="TrainingCheckpointException">The checkpoint is corrupted or belongs to another configuration.</exception>
    public int Run(ITrainingSteps steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var (epoch, shuffler) = Resume();
        for (; epoch < epochs && !steps.ShouldStop(epoch); epoch++)
        {
            var epochStart = shuffler.State;
            steps.BeginEpoch(epoch, shuffler);
            var first = (int)(Step - (long)epoch * stepsPerEpoch);
            for (var position = first; position < stepsPerEpoch; position++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Save(epoch, epochStart);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var losses = steps.Step(Step, epoch, position);
                Step++;
                if (losses.FirstOrDefault(l => !double.IsFinite(l.Value)) is { Key: not null } diverged)
                {
                    // The weights are garbage from here on; stop with a reason instead of training on (or failing to store the progress).
                    throw new TrainingDivergedException(
                        $"Training diverged at step {Step}: the {diverged.Key} loss is {diverged.Value}. Lower the learning rate, or resume from the last checkpoint.");
                }
                Report(stepPhase, epoch, losses, steps.Metrics);
                var epochDone = position == stepsPerEpoch - 1;
                steps.AfterStep(this, epoch, epochDone);
                if (run.CheckpointEverySteps > 0 && Step % run.CheckpointEverySteps == 0)
                {
                    // After an epoch's last step the checkpoint points at the next epoch, whose shuffle starts from the current state.
                    Save(epochDone ? epoch + 1 : epoch, epochDone ? shuffler.State : epochStart);
                }
            }
        }
        return epoch;
    }

    /// <summary>Reports progress at the current step (the first report after a resume carries <see cref="TrainingProgress.ResumedFromCheckpoint"/>).</summary>
    public void Report(string phase, int epoch, IReadOnlyDictionary<string, double> losses, IReadOnlyDictionary<string, double> metrics)
    {
        run.Progress.Report(new TrainingProgress(phase, epoch + 1, epochs, Step, TotalSteps, losses, metrics, _resumed));
        _resumed = false;
    }

    private (int Epoch, SplitMix64 Shuffler) Resume()
    {
        var checkpoint = TrainingCheckpoint.Load(run.WorkDirectory);
        if (checkpoint is null)
        {
            return (0, new SplitMix64(shuffleSeed));
        }
        checkpoint.EnsureContinues(fingerprint, epochs, stepsPerEpoch);
        content.Restore(checkpoint);
        (Step, _resumed) = (checkpoint.Step, true);
        return (checkpoint.Epoch, new SplitMix64(checkpoint.ShuffleState));
    }

    private void Save(int epoch, ulong shuffleState) =>
        content.Capture(fingerprint, Step, epoch, shuffleState).Save(run.WorkDirectory);
}
