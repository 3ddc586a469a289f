using ExplainApi.Onnx.Export;

namespace ExplainApi.Onnx.Tests.Serving;

/// <summary>
/// A difference-map generator of the serving contract, written by our exporter: translated = tanh(x + conv3×3(x)) on
/// float <c>input</c> [N, C, H, W], with weights drawn from a seed; <see cref="Reference"/> computes the same in C#.
/// </summary>
public static class TinyGenerator
{
    public static byte[] Build(int channels, int size, int seed, string output = "translated")
    {
        var (weight, bias) = Weights(channels, seed);
        var g = new DifferentiableGraph("tiny_generator");
        var x = g.Input("input", channels, size, size);
        var conv = g.Conv("conv", x, weight, [channels, channels, 3, 3], bias, ConvolutionGeometry.Symmetric([3, 3], [1, 1], [1, 1]));
        g.Output(g.Tanh(g.Add(x, conv)), output);
        return g.Builder.ToBytes("ExplainApi.Onnx.Tests");
    }

    /// <summary>tanh(x + conv(x)) of one C×size×size image, zero padding of one pixel.</summary>
    public static float[] Reference(float[] image, int channels, int size, int seed)
    {
        var (weight, bias) = Weights(channels, seed);
        var plane = size * size;
        var result = new float[image.Length];
        for (var m = 0; m < channels; m++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    double sum = bias[m];
                    for (var c = 0; c < channels; c++)
                    {
                        for (var ky = 0; ky < 3; ky++)
                        {
                            for (var kx = 0; kx < 3; kx++)
                            {
                                var (iy, ix) = (y + ky - 1, x + kx - 1);
                                if (iy >= 0 && iy < size && ix >= 0 && ix < size)
                                {
                                    sum += weight[(((m * channels) + c) * 9) + (ky * 3) + kx] * image[(c * plane) + (iy * size) + ix];
                                }
                            }
                        }
                    }

                    var at = (m * plane) + (y * size) + x;
                    result[at] = (float)Math.Tanh(image[at] + sum);
                }
            }
        }

        return result;
    }

    private static (float[] Weight, float[] Bias) Weights(int channels, int seed)
    {
        var random = new Random(seed);
        var weight = Enumerable.Range(0, channels * channels * 9).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, channels).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray();
        return (weight, bias);
    }
}
