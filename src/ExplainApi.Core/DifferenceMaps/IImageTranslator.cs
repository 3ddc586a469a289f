using ExplainApi.Core.Models;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// One direction of a difference-map model as the algorithms see it: a batch of model-ready images (planar CHW, the
/// manifest's normalisation) in, the same images translated to <see cref="Direction"/>'s target class out.
/// Implementations are thread-safe (one ONNX Runtime session per graph).
/// </summary>
public interface IImageTranslator
{
    DifferenceDirection Direction { get; }

    int Channels { get; }

    int Height { get; }

    int Width { get; }

    /// <summary>Translates <paramref name="count"/> images laid out one after another in <paramref name="images"/>.</summary>
    float[] Translate(float[] images, int count);
}

/// <summary>The difference map of METHODS.md §2: translated − input, per pixel (VA-GAN: y − x with y = tanh(x + M)).</summary>
public static class DifferenceMapMath
{
    public static float[] Difference(ReadOnlySpan<float> input, ReadOnlySpan<float> translated)
    {
        if (input.Length != translated.Length)
        {
            throw new ArgumentException($"The translated batch has {translated.Length} values; the input has {input.Length}.", nameof(translated));
        }

        var map = new float[input.Length];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = translated[i] - input[i];
        }

        return map;
    }
}
