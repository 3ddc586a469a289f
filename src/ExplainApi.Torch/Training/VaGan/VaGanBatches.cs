using ExplainApi.Core.Datasets;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// Fresh batches of both classes for every critic and generator step, drawn with replacement from each class's training
/// images by a <see cref="SplitMix64"/> seeded from (seed, generator step, draw): the batch of step k depends only on
/// the seed and k, so a resumed run draws exactly what the interrupted one would have.
/// </summary>
public sealed class VaGanBatches(IDataset dataset, int[] fromTrain, int[] toTrain, int batchSize, int seed)
{
    /// <summary>The random source of draw <paramref name="draw"/> of generator step <paramref name="step"/>.</summary>
    public SplitMix64 Random(long step, int draw) =>
        new(unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)step * 0xD1B54A32D192ED03UL) ^ ((ulong)draw * 0xBF58476D1CE4E5B9UL)));

    /// <returns>A batch of the class translated from and one of the class translated to, [B, C, H, W] each, and ε [B, 1, 1, 1] ~ U(0, 1).</returns>
    public (Tensor From, Tensor To, Tensor Epsilon) Draw(long step, int draw)
    {
        var random = Random(step, draw);
        var from = Load(fromTrain, random);
        var to = Load(toTrain, random);
        var epsilon = new float[batchSize];
        for (var i = 0; i < epsilon.Length; i++)
        {
            epsilon[i] = (random.Next() >> 40) / (float)(1 << 24); // 24 random bits: uniform on a float grid in [0, 1)
        }
        return (from, to, from_array(epsilon).reshape(batchSize, 1, 1, 1));
    }

    private Tensor Load(int[] pool, SplitMix64 random)
    {
        var indices = new int[batchSize];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = pool[random.NextInt(pool.Length)];
        }
        return ClassificationBatches.Load(dataset, indices).Inputs;
    }
}
