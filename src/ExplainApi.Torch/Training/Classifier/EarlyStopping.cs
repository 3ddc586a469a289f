using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Early stopping on the validation loss (Prechelt, "Early Stopping — But When?", 1998): training stops after
/// <c>patience</c> epochs without a lower loss, and the weights of the best epoch are kept. Losses are compared
/// as float32, the precision the checkpoint stores them in, so a resumed run decides exactly as the uninterrupted one.
/// </summary>
internal sealed class EarlyStopping(int patience)
{
    public const string CheckpointName = "early_stopping";

    public float BestLoss { get; private set; } = float.PositiveInfinity;

    /// <summary>0-based epoch of <see cref="BestLoss"/>, or −1 before the first validation.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The model's state dict after <see cref="BestEpoch"/>.</summary>
    public IReadOnlyList<NamedTensor> BestWeights { get; private set; } = [];

    /// <summary>True when the epochs completed before <paramref name="nextEpoch"/> include <c>patience</c> without improvement.</summary>
    public bool ShouldStop(int nextEpoch) => patience > 0 && BestEpoch >= 0 && nextEpoch - 1 - BestEpoch >= patience;

    /// <returns>True when <paramref name="loss"/> is the best so far (and the weights were kept).</returns>
    public bool Observe(int epoch, double loss, nn.Module model)
    {
        if (!((float)loss < BestLoss))
        {
            return false;
        }
        (BestLoss, BestEpoch) = ((float)loss, epoch);
        BestWeights = [.. NamedTensors.Capture(NamedTensors.StateOf(model))];
        return true;
    }

    public void RestoreBest(nn.Module model)
    {
        if (BestWeights.Count > 0)
        {
            NamedTensors.CopyInto(NamedTensors.StateOf(model), BestWeights.ToDictionary(t => t.Name, StringComparer.Ordinal));
        }
    }

    /// <param name="stateName">The checkpoint entry of best loss and epoch; a second instance in one checkpoint needs its own.</param>
    public IEnumerable<NamedTensor> Checkpoint(string bestPrefix, string stateName = CheckpointName) =>
        BestWeights.Select(t => t with { Name = bestPrefix + t.Name })
            .Prepend(new NamedTensor(stateName, [2], [BestLoss, BestEpoch]));

    public void Restore(IReadOnlyDictionary<string, NamedTensor> saved, string bestPrefix, string stateName = CheckpointName)
    {
        if (!saved.TryGetValue(stateName, out var state) || state.Values.Length != 2)
        {
            throw new TrainingCheckpointException($"The training checkpoint {TrainingCheckpoint.FileName} has no early-stopping state.");
        }
        (BestLoss, BestEpoch) = (state.Values[0], (int)state.Values[1]);
        BestWeights = [.. saved.Values.Where(t => t.Name.StartsWith(bestPrefix, StringComparison.Ordinal)).Select(t => t with { Name = t.Name[bestPrefix.Length..] })];
    }
}
