using System.Numerics;
using System.Runtime.InteropServices;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The buffers and per-pixel update of one mean-field run. Labels sit point-major with a stride padded to whole SIMD
/// vectors when there are many (padding lanes hold Q = 0). An iteration splats Q (times each kernel's norm) into every
/// lattice and blurs, then in one parallel pass per pixel slices the messages (times w·norm) onto −U and normalises:
/// Q is read once and written once per iteration. All buffers are allocated here, once per run.
/// </summary>
internal sealed class MeanField
{
    private readonly CrfKernel[] kernels;
    private readonly int labels;
    private readonly int pixels;
    private readonly int stride;
    private readonly float[] negativeUnary;
    private readonly float[] q;

    private readonly ParallelOptions parallelism;

    public MeanField(CrfKernel[] kernels, float[] unary, int labels, int pixels, ParallelOptions parallelism)
    {
        (this.kernels, this.labels, this.pixels, this.parallelism) = (kernels, labels, pixels, parallelism);
        var vector = Vector<float>.Count;
        stride = labels < vector ? labels : (labels + vector - 1) / vector * vector;
        negativeUnary = new float[pixels * stride];
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
        q = new float[pixels * stride];
    }

    public void Run(int iterations)
    {
        var chunks = PermutohedralLattice.ChunkCount(pixels);
        Parallel.For(0, chunks, parallelism, chunk => Update(chunk, withMessages: false));
        for (var it = 0; it < iterations; it++)
        {
            foreach (var kernel in kernels)
            {
                kernel.Lattice.SplatAndBlur(q, stride, kernel.Norm);
            }

            Parallel.For(0, chunks, parallelism, chunk => Update(chunk, withMessages: true));
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

    /// <summary>Q_i ← softmax(−U_i + messages_i), max-shifted as expAndNormalize.</summary>
    private void Update(int chunk, bool withMessages)
    {
        var (start, end) = PermutohedralLattice.ChunkRange(chunk, pixels);
        for (var i = start; i < end; i++)
        {
            var row = q.AsSpan(i * stride, stride);
            negativeUnary.AsSpan(i * stride, stride).CopyTo(row);
            if (withMessages)
            {
                foreach (var kernel in kernels)
                {
                    kernel.Lattice.SliceInto(q, i * stride, i, stride, kernel.MessageScale[i]);
                }
            }

            if (stride == labels && stride < Vector<float>.Count)
            {
                ScalarSoftmax(row);
            }
            else
            {
                VectorSoftmax(row, labels);
            }
        }
    }

    private static void ScalarSoftmax(Span<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row)
        {
            max = MathF.Max(max, v);
        }

        var sum = 0f;
        for (var k = 0; k < row.Length; k++)
        {
            row[k] = MathF.Exp(row[k] - max);
            sum += row[k];
        }

        for (var k = 0; k < row.Length; k++)
        {
            row[k] /= sum;
        }
    }

    private static void VectorSoftmax(Span<float> row, int labels)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row[..labels])
        {
            max = MathF.Max(max, v);
        }

        // Clamping at e^−80 keeps Vector.Exp on its fast path (far-out lanes can fall back to scalar code); the padding is then zeroed.
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
        var (shift, floor) = (new Vector<float>(max), new Vector<float>(-80f));
        for (var n = 0; n < vectors.Length; n++)
        {
            vectors[n] = Vector.Exp(Vector.Max(vectors[n] - shift, floor));
        }

        row[labels..].Clear();
        var total = Vector<float>.Zero;
        foreach (var v in vectors)
        {
            total += v;
        }

        var inverse = new Vector<float>(1f / Vector.Sum(total));
        for (var n = 0; n < vectors.Length; n++)
        {
            vectors[n] *= inverse;
        }
    }
}
