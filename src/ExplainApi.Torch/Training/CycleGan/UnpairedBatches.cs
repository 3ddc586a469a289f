using ExplainApi.Core.Datasets;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The training data of CycleGAN: per step, a batch of class A and an independent batch of class B, drawn uniformly
/// with replacement from the train split. Each step's draws (and the image pools') come from <see cref="For"/>(seed,
/// step, stream) alone, so a resumed run continues with exactly the batches the interrupted one would have seen.
/// </summary>
public sealed class UnpairedBatches(IDataset dataset, int[] trainA, int[] trainB, int batchSize, int seed)
{
    /// <summary>The streams of one step's random numbers.</summary>
    public const int BatchStream = 0, PoolAStream = 1, PoolBStream = 2;

    /// <summary>A generator for (seed, step, stream): SplitMix64 on a mix of the three (distinct per triple in practice).</summary>
    public static SplitMix64 For(int seed, long step, int stream)
    {
        var state = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)step * 0xD1B54A32D192ED03UL) ^ ((ulong)stream * 0x9E3779B97F4A7C15UL));
        _ = SplitMix64.Step(ref state); // decorrelates neighbouring steps before the first draw
        return new SplitMix64(state);
    }

    /// <returns>Real A and real B images [batch, C, H, W] in the caller's dispose scope.</returns>
    public (Tensor A, Tensor B) Load(long step)
    {
        var random = For(seed, step, BatchStream);
        var a = Enumerable.Range(0, batchSize).Select(_ => trainA[random.NextInt(trainA.Length)]).ToArray();
        var b = Enumerable.Range(0, batchSize).Select(_ => trainB[random.NextInt(trainB.Length)]).ToArray();
        return (ClassificationBatches.Load(dataset, a).Inputs, ClassificationBatches.Load(dataset, b).Inputs);
    }
}
