using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The buffers and per-pixel update of one mean-field run. Q sits point-major in rows padded to a register block
/// (<see cref="LatticeRows.Stride"/>; padding holds Q = 0). An iteration splats Q into every kernel's lattice and blurs,
/// then in one parallel pass per pixel slices the messages onto −U and normalises: Q is read once and written once per
/// iteration. All buffers are allocated here, once per run.
/// </summary>
internal sealed partial class MeanField
{
    private readonly int labels;
    private readonly int pixels;
    private readonly int stride;
    private readonly ParallelOptions parallelism;
    private readonly LatticeFilter[] filters;

    // Point-major N × stride, padding −∞ so that it never wins the max and its Q is 0.
    private readonly float[] negativeUnary;
    private readonly float[] q;
    private readonly Action<int> update;
    private bool withMessages;

    public MeanField(CrfKernel[] kernels, float[] unary, int labels, int pixels, ParallelOptions parallelism)
    {
        (this.labels, this.pixels, this.parallelism) = (labels, pixels, parallelism);
        stride = LatticeRows.Stride(labels);
        q = new float[pixels * stride];
        filters = [.. kernels.Select(k => new LatticeFilter(k.Lattice, stride, k.Weights))];
        negativeUnary = new float[pixels * stride];
        Array.Fill(negativeUnary, float.NegativeInfinity);
        var s = stride;
        Parallel.For(0, PermutohedralLattice.ChunkCount(pixels), parallelism, chunk =>
        {
            var (start, end) = PermutohedralLattice.ChunkRange(chunk, pixels);
            for (var c = 0; c < labels; c++)
            {
                for (var i = start; i < end; i++)
                {
                    negativeUnary[(i * s) + c] = -unary[(c * pixels) + i];
                }
            }
        });
        update = Update;
    }

    /// <exception cref="OperationCanceledException">Checked before each iteration, so a deadline stops a long run.</exception>
    public void Run(int iterations, CancellationToken cancellationToken)
    {
        var chunks = PermutohedralLattice.ChunkCount(pixels);
        withMessages = false;
        Parallel.For(0, chunks, parallelism, update);
        withMessages = true;
        for (var it = 0; it < iterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var filter in filters)
            {
                filter.SplatAndBlur(q);
            }

            Parallel.For(0, chunks, parallelism, update);
        }
    }

    public DenseCrfResult Result(int height, int width)
    {
        var probabilities = new float[labels * pixels];
        var map = new int[pixels];
        Parallel.For(0, PermutohedralLattice.ChunkCount(pixels), parallelism, chunk =>
        {
            var (start, end) = PermutohedralLattice.ChunkRange(chunk, pixels);
            for (var i = start; i < end; i++)
            {
                var row = q.AsSpan(i * stride, labels);
                for (var c = 0; c < labels; c++)
                {
                    probabilities[(c * pixels) + i] = row[c];
                }

                map[i] = Logits.ArgMax(row);
            }
        });

        return new DenseCrfResult(labels, height, width, probabilities, map);
    }
}
