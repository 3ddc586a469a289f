using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExplainApi.Core.Segmentation;

/// <summary>Q_i ← softmax(−U_i + messages_i) for a chunk of pixels, max-shifted as expAndNormalize; one variant per row layout.</summary>
internal sealed partial class MeanField
{
    // exp(−80) ≈ 1.8e−35: clamping there keeps the vector exp on its fast path; such lanes are 0 after normalising anyway.
    private const float ExpFloor = -80f;

    /// <summary>Each row block gathers −U plus every kernel's slice for the chunk, then the rows are normalised.</summary>
    private void Update(int chunk)
    {
        var (start, end) = PermutohedralLattice.ChunkRange(chunk, pixels);
        var logits = new LogitRows(this, start, end);
        LatticeRows.ForEachBlock(stride, ref logits);
        var rows = q.AsSpan(start * stride, (end - start) * stride);
        switch (stride)
        {
            case 1:
                rows.Fill(1f);
                break;
            case 2:
                SoftmaxPairs(rows);
                break;
            case 4:
                foreach (ref var row in MemoryMarshal.Cast<float, Vector128<float>>(rows))
                {
                    row = Softmax(row);
                }

                break;
            default:
                for (var at = 0; at < rows.Length; at += stride)
                {
                    Softmax(MemoryMarshal.Cast<float, Vector256<float>>(rows.Slice(at, stride)));
                }

                break;
        }
    }

    /// <summary>Two labels, four pixels per vector: Q_c = 1/(1 + e^(x_other − x_c)), the softmax of a pair with no max needed.</summary>
    private static void SoftmaxPairs(Span<float> rows)
    {
        var vectors = MemoryMarshal.Cast<float, Vector256<float>>(rows);
        var (swap, one, low, high) = (Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6), Vector256<float>.One, Vector256.Create(ExpFloor), Vector256.Create(-ExpFloor));
        foreach (ref var x in vectors)
        {
            x = one / (one + VectorExp.Exp(Vector256.Min(Vector256.Max(Vector256.Shuffle(x, swap) - x, low), high)));
        }

        for (var k = vectors.Length * Vector256<float>.Count; k < rows.Length; k += 2)
        {
            var gap = Math.Clamp(rows[k + 1] - rows[k], ExpFloor, -ExpFloor);
            (rows[k], rows[k + 1]) = (1f / (1f + MathF.Exp(gap)), 1f / (1f + MathF.Exp(-gap)));
        }
    }

    private static Vector128<float> Softmax(Vector128<float> x)
    {
        var max = Vector128.Max(x, Vector128.Shuffle(x, Vector128.Create(2, 3, 0, 1)));
        max = Vector128.Max(max, Vector128.Shuffle(max, Vector128.Create(1, 0, 3, 2)));
        var e = VectorExp.Exp(Vector128.Max(x - max, Vector128.Create(ExpFloor)));
        e = Vector128.AndNot(e, Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)));
        return e / Vector128.Create(Vector128.Sum(e));
    }

    private static void Softmax(Span<Vector256<float>> row)
    {
        // Padding lanes hold −∞ (their unary), so they never win the max; they are zeroed after the exp.
        var max = row[0];
        for (var n = 1; n < row.Length; n++)
        {
            max = Vector256.Max(max, row[n]);
        }

        var top = Vector128.Max(max.GetLower(), max.GetUpper());
        top = Vector128.Max(top, Vector128.Shuffle(top, Vector128.Create(2, 3, 0, 1)));
        top = Vector128.Max(top, Vector128.Shuffle(top, Vector128.Create(1, 0, 3, 2)));
        var (shift, floor, padding) = (Vector256.Create(top.ToScalar()), Vector256.Create(ExpFloor), Vector256.Create(float.NegativeInfinity));
        var sum = Vector256<float>.Zero;
        for (var n = 0; n < row.Length; n++)
        {
            var e = Vector256.AndNot(VectorExp.Exp(Vector256.Max(row[n] - shift, floor)), Vector256.Equals(row[n], padding));
            (row[n], sum) = (e, sum + e);
        }

        var inverse = Vector256.Create(1f / Vector256.Sum(sum));
        for (var n = 0; n < row.Length; n++)
        {
            row[n] *= inverse;
        }
    }

    private readonly struct LogitRows(MeanField field, int start, int end) : IRowAction
    {
        public void Run<T>(int column)
            where T : struct, IRowBlock<T>
        {
            var s = field.stride;
            ref var unary = ref MemoryMarshal.GetArrayDataReference(field.negativeUnary);
            ref var q = ref MemoryMarshal.GetArrayDataReference(field.q);
            for (var i = start; i < end; i++)
            {
                var row = (i * s) + column;
                var acc = T.Load(ref Unsafe.Add(ref unary, row));
                if (field.withMessages)
                {
                    foreach (var filter in field.filters)
                    {
                        acc = filter.Slice(acc, i, column);
                    }
                }

                acc.Store(ref Unsafe.Add(ref q, row));
            }
        }
    }
}
