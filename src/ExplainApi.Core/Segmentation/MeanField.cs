using System.Numerics;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The buffers and per-pixel update of one mean-field run. Labels sit point-major with a stride padded to whole SIMD
/// vectors (padding lanes carry −∞-like logits, so their Q is 0); each kernel's lattice input is written pre-scaled by
/// its norm n_i while Q is normalised, so an iteration is: filter every kernel, then one parallel pass per pixel.
/// All buffers are allocated here, once per run.
/// </summary>
internal sealed class MeanField
{
    private const float Padding = -1e30f;
    private readonly CrfKernel[] kernels;
    private readonly int labels;
    private readonly int pixels;
    private readonly int stride;
    private readonly float[] negativeUnary;
    private readonly float[] q;
    private readonly float[][] inputs;
    private readonly float[][] outputs;

    public MeanField(CrfKernel[] kernels, ReadOnlySpan<float> unary, int labels, int pixels)
    {
        (this.kernels, this.labels, this.pixels) = (kernels, labels, pixels);
        var vector = Vector<float>.Count;
        stride = labels <= vector / 2 ? labels : (labels + vector - 1) / vector * vector;
        negativeUnary = new float[pixels * stride];
        Array.Fill(negativeUnary, Padding);
        for (var c = 0; c < labels; c++)
        {
            for (var i = 0; i < pixels; i++)
            {
                negativeUnary[(i * stride) + c] = -unary[(c * pixels) + i];
            }
        }

        q = new float[pixels * stride];
        inputs = [.. kernels.Select(_ => new float[pixels * stride])];
        outputs = [.. kernels.Select(_ => new float[pixels * stride])];
    }

    public void Run(int iterations)
    {
        var chunks = PermutohedralLattice.ChunkCount(pixels);
        Parallel.For(0, chunks, chunk => Update(chunk, withMessages: false));
        for (var it = 0; it < iterations; it++)
        {
            for (var m = 0; m < kernels.Length; m++)
            {
                kernels[m].Lattice.Filter(inputs[m], outputs[m], stride);
            }

            Parallel.For(0, chunks, chunk => Update(chunk, withMessages: true));
        }
    }

    public DenseCrfResult Result(int height, int width)
    {
        var probabilities = new float[labels * pixels];
        var map = new int[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var row = q.AsSpan(i * stride, labels);
            for (var c = 0; c < labels; c++)
            {
                probabilities[(c * pixels) + i] = row[c];
            }

            map[i] = Logits.ArgMax(row);
        }

        return new DenseCrfResult(labels, height, width, probabilities, map);
    }

    private void Update(int chunk, bool withMessages)
    {
        var (start, end) = PermutohedralLattice.ChunkRange(chunk, pixels);
        for (var i = start; i < end; i++)
        {
            var row = q.AsSpan(i * stride, stride);
            negativeUnary.AsSpan(i * stride, stride).CopyTo(row);
            if (withMessages)
            {
                for (var m = 0; m < kernels.Length; m++)
                {
                    PermutohedralLattice.AddScaled(row, outputs[m].AsSpan(i * stride, stride), kernels[m].Weight * kernels[m].Norm[i]);
                }
            }

            Softmax(row);
            for (var m = 0; m < kernels.Length; m++)
            {
                var target = inputs[m].AsSpan(i * stride, stride);
                row.CopyTo(target);
                Scale(target, kernels[m].Norm[i]);
            }
        }
    }

    /// <summary>In place, max-shifted as expAndNormalize.</summary>
    private static void Softmax(Span<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row)
        {
            max = MathF.Max(max, v);
        }

        var sum = 0f;
        var k = 0;
        if (row.Length >= Vector<float>.Count)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(row);
            var shift = new Vector<float>(max);
            for (var n = 0; n < vectors.Length; n++)
            {
                vectors[n] = Vector.Exp(vectors[n] - shift);
                sum += Vector.Sum(vectors[n]);
            }

            k = vectors.Length * Vector<float>.Count;
        }

        for (; k < row.Length; k++)
        {
            row[k] = MathF.Exp(row[k] - max);
            sum += row[k];
        }

        Scale(row, 1f / sum);
    }

    private static void Scale(Span<float> row, float factor)
    {
        for (var k = 0; k < row.Length; k++)
        {
            row[k] *= factor;
        }
    }
}
