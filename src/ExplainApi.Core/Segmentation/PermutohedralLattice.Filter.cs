namespace ExplainApi.Core.Segmentation;

public sealed partial class PermutohedralLattice
{
    /// <summary>
    /// output_i = α·Σ_j k(f_i, f_j)·input_j for <paramref name="channels"/> interleaved values per point (point-major, N × C),
    /// all channels in one pass; α = 1/(1 + 2^−d) is permutohedral.cpp's gain. Splat, each blur direction and slice run in
    /// parallel with results independent of the thread count. Allocates its buffers per call (the CRF keeps a
    /// <see cref="LatticeFilter"/> per run instead).
    /// </summary>
    public void Filter(float[] input, float[] output, int channels)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (input.Length != pixels * channels || output.Length != pixels * channels)
        {
            throw new ArgumentException($"Input and output must hold {pixels} × {channels} values.");
        }

        var stride = LatticeRows.Stride(channels);
        var rows = stride == channels ? input : new float[pixels * stride];
        for (var i = 0; rows != input && i < pixels; i++)
        {
            Array.Copy(input, i * channels, rows, i * stride, channels);
        }

        var filter = new LatticeFilter(this, stride, Unscaled);
        filter.SplatAndBlur(rows);
        var result = stride == channels ? output : new float[pixels * stride];
        Parallel.For(0, ChunkCount(pixels), parallelism, chunk =>
        {
            var (start, end) = ChunkRange(chunk, pixels);
            var slice = new SliceRows(filter, result, start, end);
            LatticeRows.ForEachBlock(stride, ref slice);

            // The gain α (a CRF kernel's filter folds it into the slice weights).
            var gain = Gain;
            foreach (ref var value in result.AsSpan(start * stride, (end - start) * stride))
            {
                value *= gain;
            }
        });

        for (var i = 0; result != output && i < pixels; i++)
        {
            Array.Copy(result, i * stride, output, i * channels, channels);
        }
    }

    private readonly struct SliceRows(LatticeFilter filter, float[] output, int start, int end) : IRowAction
    {
        public void Run<T>(int column)
            where T : struct, IRowBlock<T>
        {
            for (var i = start; i < end; i++)
            {
                filter.Slice(default(T), i, column).Store(ref output[(i * filter.Stride) + column]);
            }
        }
    }
}
