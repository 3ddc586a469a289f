using System.Numerics;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Segmentation;

public sealed partial class PermutohedralLattice
{
    private const int ChunkTarget = 2048;
    private float[] values = [];
    private float[] blurred = [];

    /// <summary>
    /// output_i = α·Σ_j k(f_i, f_j)·input_j for <paramref name="channels"/> interleaved values per point (point-major, N × C),
    /// all channels in one pass; α = 1/(1 + 2^−d) is permutohedral.cpp's gain. Splat, each blur direction and slice are
    /// split over threads by vertex or point; every output is summed in a fixed order, so results do not depend on the
    /// thread count. Not thread-safe: one filter at a time per lattice (the buffers are reused).
    /// </summary>
    public void Filter(ReadOnlyMemory<float> input, Memory<float> output, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (input.Length != pixels * channels || output.Length != pixels * channels)
        {
            throw new ArgumentException($"Input and output must hold {pixels} × {channels} values.");
        }

        var size = (vertices + 1) * channels;
        if (values.Length < size)
        {
            values = new float[size];
            blurred = new float[size];
        }

        var c = channels;
        Parallel.For(0, ChunkCount(vertices), chunk => Splat(chunk, input.Span, c));
        for (var j = 0; j <= dimensions; j++)
        {
            var direction = j;
            Parallel.For(0, ChunkCount(vertices), chunk => Blur(chunk, direction, c));
            (values, blurred) = (blurred, values);
        }

        var alpha = 1f / (1f + MathF.Pow(2, -dimensions));
        Parallel.For(0, ChunkCount(pixels), chunk => Slice(chunk, output.Span, c, alpha));
    }

    private void Splat(int chunk, ReadOnlySpan<float> input, int c)
    {
        var (start, end) = ChunkRange(chunk, vertices);
        for (var v = start; v < end; v++)
        {
            var target = values.AsSpan((v + 1) * c, c);
            target.Clear();
            for (var e = splatStart[v]; e < splatStart[v + 1]; e++)
            {
                AddScaled(target, input.Slice(splatPixel[e] * c, c), splatWeight[e]);
            }
        }
    }

    private void Blur(int chunk, int direction, int c)
    {
        var (start, end) = ChunkRange(chunk, vertices);
        var pairs = neighbours.AsSpan(direction * vertices * 2, vertices * 2);
        for (var v = start; v < end; v++)
        {
            var target = blurred.AsSpan((v + 1) * c, c);
            values.AsSpan((v + 1) * c, c).CopyTo(target);
            AddScaled(target, values.AsSpan(pairs[2 * v] * c, c), 0.5f);
            AddScaled(target, values.AsSpan(pairs[(2 * v) + 1] * c, c), 0.5f);
        }
    }

    private void Slice(int chunk, Span<float> output, int c, float alpha)
    {
        var (start, end) = ChunkRange(chunk, pixels);
        var d1 = dimensions + 1;
        for (var i = start; i < end; i++)
        {
            var target = output.Slice(i * c, c);
            target.Clear();
            for (var r = 0; r < d1; r++)
            {
                AddScaled(target, values.AsSpan(offsets[(i * d1) + r] * c, c), alpha * weights[(i * d1) + r]);
            }
        }
    }

    /// <summary>target += w·source, vectorised over the channels.</summary>
    internal static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float w)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var scaled = new Vector<float>(w);
            for (var n = 0; n < t.Length; n++)
            {
                t[n] += s[n] * scaled;
            }

            k = t.Length * Vector<float>.Count;
        }

        for (; k < target.Length; k++)
        {
            target[k] += source[k] * w;
        }
    }

    internal static int ChunkCount(int count) => Math.Max(1, (count + ChunkTarget - 1) / ChunkTarget);

    internal static (int Start, int End) ChunkRange(int chunk, int count) => (chunk * ChunkTarget, Math.Min(count, (chunk + 1) * ChunkTarget));
}
