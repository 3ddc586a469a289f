using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One lattice's filter for rows of <see cref="Stride"/> floats per point (<see cref="LatticeRows.Stride"/>) with given
/// per-entry weights (<see cref="PermutohedralLattice.Scaled"/> folds a kernel's factors in once). It owns the value
/// buffers; <see cref="SplatAndBlur"/> allocates nothing and leaves the blurred values for <see cref="Slice{T}"/>. Each
/// pass is parallel over vertices or points with every sum in a fixed order, so results do not depend on the thread count.
/// </summary>
internal sealed partial class LatticeFilter
{
    private const int Parts = 2;

    private readonly int vertices;
    private readonly int d1;
    private readonly int[] offsets;
    private readonly int[] neighbours;
    private readonly (int[] First, int[] Points, float[] Weights)? gather;
    private readonly LatticeWeights weights;
    private readonly ParallelOptions parallelism;

    // Scatter only: the second part's sums, added to the first's.
    private readonly float[][] partials;
    private float[] values;
    private float[] blurred;
    private float[] input = [];
    private int direction;

    public LatticeFilter(PermutohedralLattice lattice, int stride, LatticeWeights weights)
    {
        (Stride, vertices, d1, this.weights, parallelism) = (stride, lattice.VertexCount, lattice.Dimensions + 1, weights, lattice.Parallelism);
        (offsets, neighbours, gather) = (lattice.Offsets, lattice.Neighbours, lattice.Gather);
        values = new float[(vertices + 1) * stride];
        blurred = new float[values.Length];
        partials = gather is null ? [.. Enumerable.Range(1, Parts - 1).Select(_ => new float[values.Length])] : [];
        (splatChunk, splatPart, reduceChunk, blurChunk) = (SplatChunk, SplatPart, ReduceChunk, BlurChunk);
    }

    public int Stride { get; }

    public int Points => offsets.Length / d1;

    /// <summary>Splats <paramref name="rows"/> (points × <see cref="Stride"/>) and blurs along each lattice direction.</summary>
    public void SplatAndBlur(float[] rows)
    {
        input = rows;
        if (gather is not null)
        {
            Run(Chunks(vertices), splatChunk);
        }
        else
        {
            Run(Parts, splatPart);
            Run(Chunks(vertices), reduceChunk);
        }

        for (direction = 0; direction < d1; direction++)
        {
            Run(Chunks(vertices), blurChunk);
            (values, blurred) = (blurred, values);
        }

        input = [];
    }

    /// <summary>acc + point <paramref name="point"/>'s filtered block at <paramref name="column"/> (after <see cref="SplatAndBlur"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Slice<T>(T acc, int point, int column)
        where T : struct, IRowBlock<T>
    {
        ref var rows = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(offsets), point * d1);
        ref var factors = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Slice), point * d1);
        ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), column);
        for (var k = 0; k < d1; k++)
        {
            acc = acc.AddScaled(T.Load(ref Unsafe.Add(ref source, Unsafe.Add(ref rows, k) * Stride)), Unsafe.Add(ref factors, k));
        }

        return acc;
    }

    private static int Chunks(int count) => PermutohedralLattice.ChunkCount(count);

    private void Run(int chunks, Action<int> body)
    {
        if (chunks == 1 || parallelism.MaxDegreeOfParallelism == 1)
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                body(chunk);
            }
        }
        else
        {
            Parallel.For(0, chunks, parallelism, body);
        }
    }
}
