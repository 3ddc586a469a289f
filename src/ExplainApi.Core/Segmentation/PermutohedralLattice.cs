namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Gaussian filtering in a d-dimensional feature space with the permutohedral lattice (Adams, Baek &amp; Davis 2010), laid
/// out as Krähenbühl's permutohedral.cpp (which pydensecrf runs): features pre-scaled by 1/σ are lifted onto the plane
/// x·1 = 0 of ℤ^{d+1} (eq. 2), each point is splatted onto the d+1 vertices of its enclosing simplex with barycentric
/// weights, the lattice is blurred with [1 2 1]/2 along each of the d+1 lattice directions, and values are sliced back
/// with the same weights. The result approximates Σ_j exp(−|f_i − f_j|²/2)·v_j in O(N·d²) to build and O((N + M)·d·C)
/// to filter, independent of σ. The build (this constructor) is the "lattice" cost: offsets, weights, neighbours and,
/// for fine lattices, the transposed splat; a <see cref="LatticeFilter"/> holds one filter's buffers.
/// </summary>
public sealed partial class PermutohedralLattice
{
    private const int MaxDimensions = 16;
    private readonly int pixels;
    private readonly int dimensions;
    private readonly int vertices;
    private readonly ParallelOptions parallelism;

    // Per pixel × (d+1): the vertex + 1 (row 0 of the value buffers is a zero row for missing neighbours) and its weight.
    private readonly int[] offsets;
    private readonly float[] weights;

    // Per lattice direction j and vertex v: the two neighbours (+1) at ±(d+1)·e_j − 1 in lattice coordinates.
    private readonly int[] neighbours;

    /// <summary>Builds the lattice of <paramref name="features"/>: N points × d dimensions, point-major, already divided by σ.</summary>
    /// <param name="parallelism">Bounds the threads of the build and of every filter (null: all cores); results do not depend on it.</param>
    public PermutohedralLattice(float[] features, int dimensions, ParallelOptions? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        if (features.Length == 0 || features.Length % dimensions != 0)
        {
            throw new ArgumentException("Features must be N × d values with N ≥ 1.", nameof(features));
        }

        this.dimensions = dimensions;
        this.parallelism = parallelism ?? new ParallelOptions();
        pixels = features.Length / dimensions;
        offsets = new int[pixels * (dimensions + 1)];
        weights = new float[pixels * (dimensions + 1)];
        var tables = new LatticeHashTable[Parts];
        Parallel.For(0, Parts, this.parallelism, part =>
        {
            var (start, end) = PartRange(part, pixels);
            tables[part] = new LatticeHashTable(dimensions, end - start);
            LocatePart(features, start, end, tables[part]);
        });

        // Merging the parts' tables in part order numbers vertices by first appearance in point order, as one serial
        // pass would: the numbering, and with it every sum, is the same on any number of threads.
        var table = new LatticeHashTable(dimensions, tables.Sum(t => t.Count));
        var renumber = new int[Parts][];
        for (var part = 0; part < Parts; part++)
        {
            renumber[part] = new int[tables[part].Count];
            for (var local = 0; local < renumber[part].Length; local++)
            {
                renumber[part][local] = table.FindOrAdd(tables[part].Key(local)) + 1;
            }
        }

        Parallel.For(0, Parts, this.parallelism, part =>
        {
            var (start, end) = PartRange(part, pixels);
            for (var e = start * (dimensions + 1); e < end * (dimensions + 1); e++)
            {
                offsets[e] = renumber[part][offsets[e]];
            }
        });
        vertices = table.Count;
        neighbours = FindNeighbours(table, vertices, dimensions, this.parallelism);
        if ((long)offsets.Length < (long)GatherLimit * vertices)
        {
            gather = TransposeSplat();
        }

    }

    /// <summary>Points (pixels) and lattice vertices, for diagnostics and the benchmark.</summary>
    public int PointCount => pixels;

    public int VertexCount => vertices;

    public int Dimensions => dimensions;

    internal ParallelOptions Parallelism => parallelism;

    /// <summary>Locates points [start, end) and numbers their simplices' vertices in the part's own table.</summary>
    private void LocatePart(float[] features, int start, int end, LatticeHashTable table)
    {
        var d = dimensions;
        var d1 = d + 1;
        var embedding = new LatticeEmbedding(d);
        Span<int> point = stackalloc int[d];
        Span<int> previous = stackalloc int[d];
        Span<byte> rank = stackalloc byte[d];
        Span<byte> previousRank = stackalloc byte[d];
        Span<int> key = stackalloc int[d];
        for (var i = start; i < end; i++)
        {
            embedding.Locate(features.AsSpan(i * d, d), point, rank, weights.AsSpan(i * d1, d1));
            if (i > start && point.SequenceEqual(previous) && rank.SequenceEqual(previousRank))
            {
                // Neighbouring pixels often share a simplex: skip d+1 hash probes.
                offsets.AsSpan((i - 1) * d1, d1).CopyTo(offsets.AsSpan(i * d1, d1));
                continue;
            }

            for (var remainder = 0; remainder <= d; remainder++)
            {
                for (var k = 0; k < d; k++)
                {
                    key[k] = point[k] + LatticeEmbedding.Canonical(d, remainder, rank[k]);
                }

                offsets[(i * d1) + remainder] = table.FindOrAdd(key);
            }

            point.CopyTo(previous);
            rank.CopyTo(previousRank);
        }
    }

    private static int[] FindNeighbours(LatticeHashTable table, int vertices, int d, ParallelOptions parallelism)
    {
        var result = new int[(d + 1) * vertices * 2];
        Parallel.For(0, ChunkCount(vertices), parallelism, chunk =>
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
}
