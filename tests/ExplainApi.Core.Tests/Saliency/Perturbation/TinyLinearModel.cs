using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

/// <summary>
/// logits_k = Σ_pixels W_k·x on a 1×16×16 image, counting its forward calls. Class 1's weights are
/// 0.05 in the top-left quadrant and 0 elsewhere; class 0's are 0.0125 everywhere, so only the
/// top-left quadrant is evidence for class 1.
/// </summary>
internal sealed class TinyLinearModel
{
    public const int Size = 16;

    public TinyLinearModel(int channels = 1, int height = Size, int width = Size, float[][]? weights = null)
    {
        (Channels, Height, Width) = (channels, height, width);
        Weights = weights ?? [Fill(_ => 0.0125f), Fill(i => InTopLeft(i % (height * width)) ? 0.05f : 0f)];
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public float[][] Weights { get; }

    public int Calls { get; private set; }

    public List<int> BatchSizes { get; } = [];

    public int ItemSize => Channels * Height * Width;

    public ForwardContext Context(int maxBatch = 32) => new(Channels, Height, Width, Weights.Length, Forward, maxBatch);

    public bool InTopLeft(int pixel) => pixel / Width < Height / 2 && pixel % Width < Width / 2;

    /// <summary>A positive image, bright (≈ 0.9) in the top-left quadrant and dim (≈ 0.05) elsewhere, seeded.</summary>
    public float[] Image(int seed = 3)
    {
        var random = new Random(seed);
        return Fill(i => InTopLeft(i % (Height * Width)) ? 0.8f + (0.2f * random.NextSingle()) : 0.1f * random.NextSingle());
    }

    public float[] Logits(ReadOnlySpan<float> item)
    {
        var logits = new float[Weights.Length];
        for (var k = 0; k < Weights.Length; k++)
        {
            var sum = 0.0;
            for (var i = 0; i < item.Length; i++)
            {
                sum += Weights[k][i] * (double)item[i];
            }

            logits[k] = (float)sum;
        }

        return logits;
    }

    private float[] Forward(float[] inputs, int batch)
    {
        Assert.Equal(batch * ItemSize, inputs.Length);
        Calls++;
        BatchSizes.Add(batch);
        var result = new float[batch * Weights.Length];
        for (var b = 0; b < batch; b++)
        {
            Logits(inputs.AsSpan(b * ItemSize, ItemSize)).CopyTo(result, b * Weights.Length);
        }

        return result;
    }

    private float[] Fill(Func<int, float> value) => Enumerable.Range(0, ItemSize).Select(value).ToArray();
}
