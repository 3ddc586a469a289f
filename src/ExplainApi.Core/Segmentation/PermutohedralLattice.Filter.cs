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
        Parallel.For(0, ChunkCount(pixels), parallelism, chunk =>
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
        Parallel.For(0, Parts, parallelism, part => Splat(part, input, c, inputScale));
        Parallel.For(0, ChunkCount(vertices), parallelism, chunk => Reduce(chunk, c));
        for (var j = 0; j <= dimensions; j++)
        {
            var direction = j;
            Parallel.For(0, ChunkCount(vertices), parallelism, chunk => Blur(chunk, direction, c));
            (values, blurred) = (blurred, values);
        }

        alpha = 1f / (1f + MathF.Pow(2, -dimensions));
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
}
