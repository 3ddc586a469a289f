using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExplainApi.Core.Segmentation;

/// <summary>The inner loops: one point's slice and a scaled row add, vectorised over the channels; and the work split.</summary>
public sealed partial class PermutohedralLattice
{
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
