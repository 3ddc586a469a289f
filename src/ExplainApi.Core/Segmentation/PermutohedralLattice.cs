namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Gaussian filtering in a d-dimensional feature space with the permutohedral lattice (Adams, Baek &amp; Davis 2010), laid
/// out as Krähenbühl's permutohedral.cpp (which pydensecrf runs): features pre-scaled by 1/σ are lifted onto the plane
/// x·1 = 0 of ℤ^{d+1} (eq. 2), each point is splatted onto the d+1 vertices of its enclosing simplex with barycentric
/// weights, the lattice is blurred with [1 2 1]/2 along each of the d+1 lattice directions, and values are sliced back
/// with the same weights. The result approximates Σ_j exp(−|f_i − f_j|²/2)·v_j in O(N·d²) to build and O((N + M)·d·C)
/// to filter, independent of σ. The build (this constructor) is the "lattice" cost; <see cref="Filter"/> reuses
/// precomputed offsets, weights and neighbours and allocates its buffers only when the channel count grows.
/// </summary>
public sealed partial class PermutohedralLattice
{
    private const int MaxDimensions = 16;
    private readonly int pixels;
    private readonly int dimensions;
    private readonly int vertices;

    // Per pixel × (d+1): the vertex + 1 (row 0 of the value buffers is a zero row for missing neighbours) and its weight.
    private readonly int[] offsets;
    private readonly float[] weights;

    // Per lattice direction j and vertex v: the two neighbours (+1) at ±(d+1)·e_j − 1 in lattice coordinates.
    private readonly int[] neighbours;

    // The splat as a gather: the (pixel, weight) pairs of each vertex, by vertex (CSR), so vertices split over threads.
    private readonly int[] splatStart;
    private readonly int[] splatPixel;
    private readonly float[] splatWeight;

    /// <summary>Builds the lattice of <paramref name="features"/>: N points × d dimensions, point-major, already divided by σ.</summary>
    public PermutohedralLattice(float[] features, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        if (features.Length == 0 || features.Length % dimensions != 0)
        {
            throw new ArgumentException("Features must be N × d values with N ≥ 1.", nameof(features));
        }

        this.dimensions = dimensions;
        pixels = features.Length / dimensions;
        var d1 = dimensions + 1;
        offsets = new int[pixels * d1];
        weights = new float[pixels * d1];
        var coordinates = new int[pixels * dimensions];
        var ranks = new byte[pixels * dimensions];
        var embedding = new LatticeEmbedding(dimensions);
        Parallel.For(0, ChunkCount(pixels), chunk =>
        {
            var (start, end) = ChunkRange(chunk, pixels);
            for (var i = start; i < end; i++)
            {
                embedding.Locate(features.AsSpan(i * dimensions, dimensions), coordinates.AsSpan(i * dimensions, dimensions),
                    ranks.AsSpan(i * dimensions, dimensions), weights.AsSpan(i * d1, d1));
            }
        });

        var table = new LatticeHashTable(dimensions, pixels);
        InsertVertices(table, coordinates, ranks);
        vertices = table.Count;
        neighbours = FindNeighbours(table, vertices, dimensions);
        (splatStart, splatPixel, splatWeight) = GroupByVertex(offsets, weights, vertices, d1);
    }

    /// <summary>Points (pixels) and lattice vertices, for diagnostics and the benchmark.</summary>
    public int PointCount => pixels;

    public int VertexCount => vertices;

    public int Dimensions => dimensions;

    // Single-threaded so that vertex numbers, and with them every sum, are the same on every run.
    private void InsertVertices(LatticeHashTable table, int[] coordinates, byte[] ranks)
    {
        var d = dimensions;
        var d1 = d + 1;
        Span<int> key = stackalloc int[d];
        for (var i = 0; i < pixels; i++)
        {
            var point = coordinates.AsSpan(i * d, d);
            var rank = ranks.AsSpan(i * d, d);
            if (i > 0 && point.SequenceEqual(coordinates.AsSpan((i - 1) * d, d)) && rank.SequenceEqual(ranks.AsSpan((i - 1) * d, d)))
            {
                // Neighbouring pixels mostly share a simplex: skip d+1 hash probes.
                offsets.AsSpan((i - 1) * d1, d1).CopyTo(offsets.AsSpan(i * d1, d1));
                continue;
            }

            for (var remainder = 0; remainder <= d; remainder++)
            {
                for (var k = 0; k < d; k++)
                {
                    key[k] = point[k] + LatticeEmbedding.Canonical(d, remainder, rank[k]);
                }

                offsets[(i * d1) + remainder] = table.FindOrAdd(key) + 1;
            }
        }
    }

    private static int[] FindNeighbours(LatticeHashTable table, int vertices, int d)
    {
        var result = new int[(d + 1) * vertices * 2];
        Parallel.For(0, ChunkCount(vertices), chunk =>
        {
            var (start, end) = ChunkRange(chunk, vertices);
            Span<int> down = stackalloc int[d];
            Span<int> up = stackalloc int[d];
            for (var v = start; v < end; v++)
            {
                var key = table.Key(v);
                for (var j = 0; j <= d; j++)
                {
                    for (var k = 0; k < d; k++)
                    {
                        down[k] = key[k] - 1;
                        up[k] = key[k] + 1;
                    }

                    if (j < d)
                    {
                        down[j] = key[j] + d;
                        up[j] = key[j] - d;
                    }

                    var at = ((j * vertices) + v) * 2;
                    result[at] = table.Find(down) + 1;
                    result[at + 1] = table.Find(up) + 1;
                }
            }
        });
        return result;
    }

    private static (int[] Start, int[] Pixel, float[] Weight) GroupByVertex(int[] offsets, float[] weights, int vertices, int d1)
    {
        // Entries of vertex v (offset v + 1) are start[v] .. start[v + 1].
        var start = new int[vertices + 1];
        foreach (var o in offsets)
        {
            start[o]++;
        }

        for (var v = 1; v <= vertices; v++)
        {
            start[v] += start[v - 1];
        }

        // Counting sort in point order: each vertex's sum runs over its points in the same order every time.
        var pixel = new int[offsets.Length];
        var weight = new float[offsets.Length];
        var next = new int[vertices];
        Array.Copy(start, next, vertices);
        for (var e = 0; e < offsets.Length; e++)
        {
            var slot = next[offsets[e] - 1]++;
            pixel[slot] = e / d1;
            weight[slot] = weights[e];
        }

        return (start, pixel, weight);
    }
}
