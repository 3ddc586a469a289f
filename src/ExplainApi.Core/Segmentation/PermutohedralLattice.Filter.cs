using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExplainApi.Core.Segmentation;

public sealed partial class PermutohedralLattice
{
    private const int ChunkTarget = 2048;

    // The points are split into a fixed number of parts (not the core count): each part splats into its own buffer and
    // the buffers are summed in part order, so every sum runs in the same order on any machine. Two parts match the
    // target's two cores; each extra part costs a clear and a sum of an (M+1)×C buffer per filter.
    private const int Parts = 2;
    private float[] values = [];
    private float[] blurred = [];
    private float[][] partials = [];
    private float alpha;

    /// <summary>
    /// output_i = α·Σ_j k(f_i, f_j)·input_j for <paramref name="channels"/> interleaved values per point (point-major, N × C),
    /// all channels in one pass; α = 1/(1 + 2^−d) is permutohedral.cpp's gain. Splat (by part), each blur direction
    /// (by vertex) and slice (by point) run in parallel with results independent of the thread count. Not thread-safe:
    /// one filter at a time per lattice (the buffers are reused and grow only with the channel count).
    /// </summary>
    public void Filter(float[] input, float[] output, int channels) => Filter(input, output, channels, null, null, false);

    /// <summary>The same with per-point factors on the input and the output, and optionally adding to the output.</summary>
    internal void Filter(float[] input, float[] output, int channels, float[]? inputScale, float[]? outputScale, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Length != pixels * channels)
        {
            throw new ArgumentException($"Input and output must hold {pixels} × {channels} values.");
        }

        SplatAndBlur(input, channels, inputScale);
        var c = channels;
        Parallel.For(0, ChunkCount(pixels), chunk =>
        {
            var (start, end) = ChunkRange(chunk, pixels);
            for (var i = start; i < end; i++)
            {
                if (!accumulate)
                {
                    Array.Clear(output, i * c, c);
                }

                SliceInto(output, i * c, i, c, outputScale is null ? 1f : outputScale[i]);
            }
        });
    }

    /// <summary>Splats <paramref name="input"/> (times <paramref name="inputScale"/> per point) and blurs; <see cref="SliceInto"/> then reads the result.</summary>
    internal void SplatAndBlur(float[] input, int channels, float[]? inputScale)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (input.Length != pixels * channels)
        {
            throw new ArgumentException($"Input and output must hold {pixels} × {channels} values.");
        }

        var size = (vertices + 1) * channels;
        if (values.Length < size)
        {
            (values, blurred) = (new float[size], new float[size]);
            partials = [.. Enumerable.Range(1, Parts - 1).Select(_ => new float[size])];
        }

        var c = channels;
        Parallel.For(0, Parts, part => Splat(part, input, c, inputScale));
        Parallel.For(0, ChunkCount(vertices), chunk => Reduce(chunk, c));
        for (var j = 0; j <= dimensions; j++)
        {
            var direction = j;
            Parallel.For(0, ChunkCount(vertices), chunk => Blur(chunk, direction, c));
            (values, blurred) = (blurred, values);
        }

        alpha = 1f / (1f + MathF.Pow(2, -dimensions));
    }

    /// <summary>Adds point <paramref name="point"/>'s filtered values times <paramref name="factor"/> to target[t..t+c) (after <see cref="SplatAndBlur"/>).</summary>
    internal void SliceInto(float[] target, int t, int point, int c, float factor)
    {
        // Channels outer, the d+1 vertices inner: each block of the row stays in registers while it gathers.
        var s = alpha * factor;
        var (first, end) = (point * (dimensions + 1), (point + 1) * (dimensions + 1));
        var width = Vector<float>.Count;
        var k = 0;
        for (; k + (2 * width) <= c; k += 2 * width)
        {
            var (a, b) = (new Vector<float>(target, t + k), new Vector<float>(target, t + k + width));
            for (var e = first; e < end; e++)
            {
                var (o, w) = ((offsets[e] * c) + k, new Vector<float>(weights[e] * s));
                (a, b) = (a + (new Vector<float>(values, o) * w), b + (new Vector<float>(values, o + width) * w));
            }

            a.CopyTo(target, t + k);
            b.CopyTo(target, t + k + width);
        }

        for (; k + width <= c; k += width)
        {
            var a = new Vector<float>(target, t + k);
            for (var e = first; e < end; e++)
            {
                a += new Vector<float>(values, (offsets[e] * c) + k) * new Vector<float>(weights[e] * s);
            }

            a.CopyTo(target, t + k);
        }

        for (; k < c; k++)
        {
            var a = target[t + k];
            for (var e = first; e < end; e++)
            {
                a += values[(offsets[e] * c) + k] * (weights[e] * s);
            }

            target[t + k] = a;
        }
    }

    private void Splat(int part, float[] input, int c, float[]? scale)
    {
        var target = part == 0 ? values : partials[part - 1];
        Array.Clear(target, 0, (vertices + 1) * c);
        var (start, end) = PartRange(part, pixels);
        var d1 = dimensions + 1;
        for (var i = start; i < end; i++)
        {
            var s = scale is null ? 1f : scale[i];
            for (var e = i * d1; e < (i + 1) * d1; e++)
            {
                AddScaled(target, offsets[e] * c, input, i * c, c, weights[e] * s);
            }
        }
    }

    private void Reduce(int chunk, int c)
    {
        var (start, end) = ChunkRange(chunk, vertices);
        foreach (var partial in partials)
        {
            for (var v = start + 1; v <= end; v++)
            {
                AddScaled(values, v * c, partial, v * c, c, 1f);
            }
        }
    }

    private void Blur(int chunk, int direction, int c)
    {
        var (start, end) = ChunkRange(chunk, vertices);
        var pairs = neighbours.AsSpan(direction * vertices * 2, vertices * 2);
        for (var v = start; v < end; v++)
        {
            var row = (v + 1) * c;
            Array.Copy(values, row, blurred, row, c);
            AddScaled(blurred, row, values, pairs[2 * v] * c, c, 0.5f);
            AddScaled(blurred, row, values, pairs[(2 * v) + 1] * c, c, 0.5f);
        }
    }

    /// <summary>target[t..t+c) += w·source[s..s+c), vectorised over the channels when there are enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaled(float[] target, int t, float[] source, int s, int c, float w)
    {
        // Vectors loaded straight from the arrays (one bounds check each): this runs once per point and simplex vertex.
        var k = 0;
        if (c >= Vector<float>.Count)
        {
            var scaled = new Vector<float>(w);
            for (; k <= c - Vector<float>.Count; k += Vector<float>.Count)
            {
                (new Vector<float>(target, t + k) + (new Vector<float>(source, s + k) * scaled)).CopyTo(target, t + k);
            }
        }

        for (; k < c; k++)
        {
            target[t + k] += source[s + k] * w;
        }
    }

    internal static int ChunkCount(int count) => Math.Max(1, (count + ChunkTarget - 1) / ChunkTarget);

    internal static (int Start, int End) ChunkRange(int chunk, int count) => (chunk * ChunkTarget, Math.Min(count, (chunk + 1) * ChunkTarget));

    private static (int Start, int End) PartRange(int part, int count) => ((int)((long)part * count / Parts), (int)((long)(part + 1) * count / Parts));
}
