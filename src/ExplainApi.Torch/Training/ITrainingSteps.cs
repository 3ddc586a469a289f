using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Training;

/// <summary>What one kind of training does inside <see cref="TrainingLoop"/>: its steps, and what it does between them.</summary>
public interface ITrainingSteps
{
    /// <summary>The latest validation metrics, sent with every progress report (empty before the first validation).</summary>
    IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>True to end the run before <paramref name="nextEpoch"/> (early stopping).</summary>
    bool ShouldStop(int nextEpoch) => false;

    /// <summary>Called before each epoch's first step, also for the epoch a resumed run starts in (draw its order from <paramref name="shuffler"/>).</summary>
    void BeginEpoch(int epoch, SplitMix64 shuffler)
    {
    }

    /// <summary>Trains step <paramref name="step"/> (0-based, the <paramref name="position"/>-th of its epoch).</summary>
    /// <returns>The step's losses, for the progress report.</returns>
    IReadOnlyDictionary<string, double> Step(long step, int epoch, int position);

    /// <summary>
    /// Called after a step's progress report and before a periodic checkpoint (validate and report here);
    /// <see cref="TrainingLoop.Step"/> counts the step just taken. State changed here is what the checkpoint saves.
    /// </summary>
    void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
    {
    }
}
