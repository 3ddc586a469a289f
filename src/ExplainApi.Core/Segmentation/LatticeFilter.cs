using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One lattice's filter for rows of <see cref="Stride"/> floats per point (<see cref="LatticeRows.Stride"/>), with fixed
/// per-point factors on the input and the output folded into the splat and slice weights (and the output's with the
/// lattice gain α = 1/(1 + 2^−d), permutohedral.cpp's). Indices are premultiplied by the stride. <see cref="SplatAndBlur"/>
/// leaves the blurred values for <see cref="Slice{T}"/>; it allocates nothing. Each pass is parallel over vertices or
/// points with every sum in a fixed order, so results do not depend on the thread count.
/// </summary>
internal sealed partial class LatticeFilter
{
    // A vertex that collects fewer entries than this gathers them (one register block per vertex, no clearing or
    // reduction); with more (coarse lattices: a few hundred vertices for the whole image) points scatter in two parts
    // into L1-resident rows, read sequentially.
    private const int GatherLimit = 64;
    private const int Parts = 2;

    private readonly int vertices;
    private readonly int d1;
    private readonly int[] neighbours;
    private readonly ParallelOptions parallelism;

    // Slice: per point × (d+1), the vertex's row start and α·outputScale·weight.
    private readonly int[] sliceRows;
    private readonly float[] sliceWeights;

    // Splat: by gather, per vertex entries first[v]..first[v+1] (point row starts, weight·inputScale); by scatter the
    // slice's rows with weight·inputScale per point × (d+1).
    private readonly int[]? gatherFirst;
    private readonly int[] splatRows;
    private readonly float[] splatWeights;

    private readonly float[][] partials;
    private float[] values;
    private float[] blurred;
    private float[] input = [];
    private int direction;

    public LatticeFilter(PermutohedralLattice lattice, int stride, float[]? inputScale, float[]? outputScale)
    {
        (Stride, vertices, d1, neighbours, parallelism) = (stride, lattice.VertexCount, lattice.Dimensions + 1, lattice.Neighbours, lattice.Parallelism);
        var (offsets, weights) = (lattice.Offsets, lattice.Weights);
        var alpha = 1f / (1f + MathF.Pow(2, -lattice.Dimensions));
        (sliceRows, sliceWeights) = (new int[offsets.Length], new float[offsets.Length]);
        for (var e = 0; e < offsets.Length; e++)
        {
            sliceRows[e] = offsets[e] * stride;
            sliceWeights[e] = alpha * weights[e] * (outputScale is null ? 1f : outputScale[e / d1]);
        }

        values = new float[(vertices + 1) * stride];
        blurred = new float[values.Length];
        if ((long)offsets.Length < (long)GatherLimit * vertices)
        {
            var (first, entries) = lattice.SplatEntries;
            (gatherFirst, splatRows, splatWeights, partials) = (first, new int[entries.Length], new float[entries.Length], []);
            for (var k = 0; k < entries.Length; k++)
            {
                var point = entries[k] / d1;
                splatRows[k] = point * stride;
                splatWeights[k] = weights[entries[k]] * (inputScale is null ? 1f : inputScale[point]);
            }
        }
        else
        {
            (splatRows, splatWeights) = (sliceRows, new float[offsets.Length]);
            for (var e = 0; e < offsets.Length; e++)
            {
                splatWeights[e] = weights[e] * (inputScale is null ? 1f : inputScale[e / d1]);
            }

            partials = [.. Enumerable.Range(1, Parts - 1).Select(_ => new float[values.Length])];
        }

        (splatChunk, splatPart, reduceChunk, blurChunk) = (SplatChunk, SplatPart, ReduceChunk, BlurChunk);
    }

    public int Stride { get; }

    public int Points => sliceRows.Length / d1;

    /// <summary>Splats <paramref name="rows"/> (points × <see cref="Stride"/>) and blurs along each lattice direction.</summary>
    public void SplatAndBlur(float[] rows)
    {
        input = rows;
        if (gatherFirst is not null)
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
        ref var rows = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sliceRows), point * d1);
        ref var weights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sliceWeights), point * d1);
        ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), column);
        for (var k = 0; k < d1; k++)
        {
            acc = acc.AddScaled(T.Load(ref Unsafe.Add(ref source, Unsafe.Add(ref rows, k))), Unsafe.Add(ref weights, k));
        }

        return acc;
    }

    internal static int Chunks(int count) => PermutohedralLattice.ChunkCount(count);

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
