using ExplainApi.Core.Rendering;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>
/// A seeded scene: a bright square (200) on a dark background (40) with Gaussian noise (σ 12), its true mask, a noisy
/// copy of the mask (a fifth of the pixels flipped) and noisy class probabilities that say the same.
/// </summary>
internal sealed class NoisySquare
{
    public const int Size = 48, Low = 14, High = 34;

    public NoisySquare(int seed = 2026, double flip = 0.2)
    {
        var random = new Random(seed);
        var n = Size * Size;
        (Truth, NoisyLabels, Grey) = (new int[n], new int[n], new byte[n]);
        for (var i = 0; i < n; i++)
        {
            var (x, y) = (i % Size, i / Size);
            Truth[i] = x is >= Low and < High && y is >= Low and < High ? 1 : 0;
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 12;
            Grey[i] = (byte)Math.Clamp(Math.Round((Truth[i] == 1 ? 200 : 40) + noise), 0, 255);
            NoisyLabels[i] = random.NextDouble() < flip ? 1 - Truth[i] : Truth[i];
        }
    }

    public int[] Truth { get; }

    public int[] NoisyLabels { get; }

    public byte[] Grey { get; }

    public byte[] ImagePng => PngEncoder.Encode(Grey, Size, Size, PngPixelFormat.Grey8);

    public byte[] MaskPng => LabelPng(NoisyLabels, Size, Size);

    /// <summary>Float32 C×H×W (C = 2): 0.65 for the noisy label, 0.35 for the other.</summary>
    public byte[] Probabilities(float confidence = 0.65f)
    {
        var n = NoisyLabels.Length;
        var values = new float[2 * n];
        for (var i = 0; i < n; i++)
        {
            values[(NoisyLabels[i] * n) + i] = confidence;
            values[((1 - NoisyLabels[i]) * n) + i] = 1 - confidence;
        }

        return Float32(values);
    }

    public static byte[] LabelPng(int[] labels, int width, int height) =>
        PngEncoder.Encode(labels.Select(l => (byte)l).ToArray(), width, height, PngPixelFormat.Grey8);

    public static byte[] Float32(float[] values) => RawFloat32.Encode(values, values.Length).Bytes;

    /// <summary>Intersection over union of class 1 against the true square.</summary>
    public double IoU(IReadOnlyList<int> labels)
    {
        var (intersection, union) = (0, 0);
        for (var i = 0; i < Truth.Length; i++)
        {
            intersection += Truth[i] == 1 && labels[i] == 1 ? 1 : 0;
            union += Truth[i] == 1 || labels[i] == 1 ? 1 : 0;
        }

        return (double)intersection / union;
    }
}
