namespace ExplainApi.Core.Segmentation;

/// <summary>Per-entry weights with the kernel's factors folded in, and the splat transposed for fine lattices.</summary>
public sealed partial class PermutohedralLattice
{
    // A vertex that collects fewer entries than this on average gathers them (one register block per vertex, no clearing
    // or reduction); with more (coarse lattices: a few hundred vertices for the whole image) points scatter in two parts
    // into rows that stay in L1, reading the input sequentially.
    private const int GatherLimit = 64;

    // Vertex v's entries are Points/Weights[First[v]..First[v+1]], in point order (so each sum runs as a serial scatter's).
    private readonly (int[] First, int[] Points, float[] Weights)? gather;

    /// <summary>Per point × (d+1): the vertex + 1 (the value buffers' row).</summary>
    internal int[] Offsets => offsets;

    /// <summary>Per direction j, vertex v: the rows of its two neighbours along j (0 when absent) at 2·(j·M + v).</summary>
    internal int[] Neighbours => neighbours;

    /// <summary>The transposed splat (fine lattices), or null: points scatter.</summary>
    internal (int[] First, int[] Points, float[] Weights)? Gather => gather;

    /// <summary>The barycentric weights in splat order (by vertex, or by point when scattering) and in slice order.</summary>
    internal LatticeWeights Unscaled => new(gather?.Weights ?? weights, weights);

    /// <summary>
    /// The weights with per-point factors folded in: <paramref name="input"/> on the splat, α·<paramref name="output"/> on
    /// the slice, α = 1/(1 + 2^−d) being permutohedral.cpp's gain.
    /// </summary>
    internal LatticeWeights Scaled(float[] input, float[] output)
    {
        var d1 = dimensions + 1;
        var alpha = Gain;
        var (slice, splat) = (new float[weights.Length], new float[weights.Length]);
        for (var (i, e) = (0, 0); i < pixels; i++)
        {
            var (inScale, outScale) = (input[i], alpha * output[i]);
            for (var end = e + d1; e < end; e++)
            {
                (slice[e], splat[e]) = (weights[e] * outScale, weights[e] * inScale);
            }
        }

        if (gather is var (_, points, byVertex))
        {
            // The splat's entries in vertex order instead.
            for (var k = 0; k < points.Length; k++)
            {
                splat[k] = byVertex[k] * input[points[k]];
            }
        }

        return new LatticeWeights(splat, slice);
    }

    internal float Gain => 1f / (1f + MathF.Pow(2, -dimensions));

    private (int[] First, int[] Points, float[] Weights) TransposeSplat()
    {
        // A counting sort of the entries by vertex, stable in point order.
        var first = new int[vertices + 1];
        foreach (var row in offsets)
        {
            first[row]++;
        }

        for (var v = 1; v <= vertices; v++)
        {
            first[v] += first[v - 1];
        }

        var (points, byVertex) = (new int[offsets.Length], new float[offsets.Length]);
        var next = first[..vertices];
        var d1 = dimensions + 1;
        for (var (i, e) = (0, 0); i < pixels; i++)
        {
            for (var end = e + d1; e < end; e++)
            {
                var k = next[offsets[e] - 1]++;
                (points[k], byVertex[k]) = (i, weights[e]);
            }
        }

        return (first, points, byVertex);
    }
}

/// <summary>A filter's per-entry weights: splat (in the lattice's splat order) and slice (point-major).</summary>
internal sealed record LatticeWeights(float[] Splat, float[] Slice);
