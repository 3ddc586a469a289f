using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>
/// Two classes of 1×8×8 images separable by mean brightness: "dark" pixels around −0.4, "bright" around +0.4,
/// with uniform noise of ±0.5 per pixel. Sample i has label i % 2 and is the same on every call.
/// </summary>
internal sealed class ToyBrightnessDataset(int count = 120, int seed = 7) : IDataset
{
    public const int Side = 8;

    public string Reference => $"test:toy-brightness?n={count}&seed={seed}";

    public IReadOnlyList<string> ClassNames { get; } = ["dark", "bright"];

    public int Channels => 1;

    public int Height => Side;

    public int Width => Side;

    public int Count => count;

    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;

    public bool HasMasks => false;

    public int LabelOf(int index) => index % 2;

    public Sample Get(int index)
    {
        var random = new Random(seed * 100_003 + index);
        var level = LabelOf(index) == 0 ? -0.4f : 0.4f;
        var pixels = new float[Side * Side];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = level + (float)(random.NextDouble() - 0.5);
        }
        return new Sample(pixels, LabelOf(index), null);
    }
}
