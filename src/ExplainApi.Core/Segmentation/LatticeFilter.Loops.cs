using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The passes, each a chunk (or part) of vertices or points and each written once over a row block (<see cref="IRowBlock{TSelf}"/>).
/// Indices are trusted: they come from the lattice's build and the row lengths were checked by the callers.
/// </summary>
internal sealed partial class LatticeFilter
{
    private readonly Action<int> splatChunk;
    private readonly Action<int> splatPart;
    private readonly Action<int> reduceChunk;
    private readonly Action<int> blurChunk;

    private void SplatChunk(int chunk)
    {
        var action = new Pass(this, PassKind.Gather, PermutohedralLattice.ChunkRange(chunk, vertices));
        LatticeRows.ForEachBlock(Stride, ref action);
    }

    private void SplatPart(int part)
    {
        var target = part == 0 ? values : partials[part - 1];
        Array.Clear(target);
        var points = Points;
        var action = new Pass(this, PassKind.Scatter, ((int)((long)part * points / Parts), (int)((long)(part + 1) * points / Parts)), target);
        LatticeRows.ForEachBlock(Stride, ref action);
    }

    private void ReduceChunk(int chunk)
    {
        var (start, end) = PermutohedralLattice.ChunkRange(chunk, vertices);
        foreach (var partial in partials)
        {
            var to = MemoryMarshal.Cast<float, Vector<float>>(values.AsSpan((start + 1) * Stride, (end - start) * Stride));
            var from = MemoryMarshal.Cast<float, Vector<float>>(partial.AsSpan((start + 1) * Stride, (end - start) * Stride));
            for (var k = 0; k < to.Length; k++)
            {
                to[k] += from[k];
            }

            for (var k = (start + 1) * Stride + (to.Length * Vector<float>.Count); k < (end + 1) * Stride; k++)
            {
                values[k] += partial[k];
            }
        }
    }

    private void BlurChunk(int chunk)
    {
        var action = new Pass(this, PassKind.Blur, PermutohedralLattice.ChunkRange(chunk, vertices));
        LatticeRows.ForEachBlock(Stride, ref action);
    }

    private enum PassKind
    {
        Gather,
        Scatter,
        Blur,
    }

    private readonly struct Pass(LatticeFilter filter, PassKind kind, (int Start, int End) range, float[]? target = null) : IRowAction
    {
        public void Run<T>(int column)
            where T : struct, IRowBlock<T>
        {
            switch (kind)
            {
                case PassKind.Gather:
                    filter.Gather<T>(range.Start, range.End, column);
                    break;
                case PassKind.Scatter:
                    filter.Scatter<T>(range.Start, range.End, column, target!);
                    break;
                default:
                    filter.Blur<T>(range.Start, range.End, column);
                    break;
            }
        }
    }

    /// <summary>values[v] = Σ over v's entries of weight·input[point], for vertices [start, end).</summary>
    private void Gather<T>(int start, int end, int column)
        where T : struct, IRowBlock<T>
    {
        var (firsts, points, _) = gather!.Value;
        ref var first = ref MemoryMarshal.GetArrayDataReference(firsts);
        ref var rows = ref MemoryMarshal.GetArrayDataReference(points);
        ref var factors = ref MemoryMarshal.GetArrayDataReference(weights.Splat);
        ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(input), column);
        ref var target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), column);
        for (var v = start; v < end; v++)
        {
            var acc = default(T);
            for (int k = Unsafe.Add(ref first, v), last = Unsafe.Add(ref first, v + 1); k < last; k++)
            {
                acc = acc.AddScaled(T.Load(ref Unsafe.Add(ref source, Unsafe.Add(ref rows, k) * Stride)), Unsafe.Add(ref factors, k));
            }

            acc.Store(ref Unsafe.Add(ref target, (v + 1) * Stride));
        }
    }

    /// <summary>target[vertex] += weight·input[point] for points [start, end) and their d+1 vertices.</summary>
    private void Scatter<T>(int start, int end, int column, float[] target)
        where T : struct, IRowBlock<T>
    {
        ref var rows = ref MemoryMarshal.GetArrayDataReference(offsets);
        ref var factors = ref MemoryMarshal.GetArrayDataReference(weights.Splat);
        ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(input), column);
        ref var sums = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(target), column);
        for (var i = start; i < end; i++)
        {
            var x = T.Load(ref Unsafe.Add(ref source, i * Stride));
            for (var e = i * d1; e < (i + 1) * d1; e++)
            {
                ref var row = ref Unsafe.Add(ref sums, Unsafe.Add(ref rows, e) * Stride);
                T.Load(ref row).AddScaled(x, Unsafe.Add(ref factors, e)).Store(ref row);
            }
        }
    }

    /// <summary>blurred[v] = values[v] + ½·(values[v − e_j] + values[v + e_j]) along the current direction j, vertices [start, end).</summary>
    private void Blur<T>(int start, int end, int column)
        where T : struct, IRowBlock<T>
    {
        ref var pairs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(neighbours), 2 * direction * vertices);
        ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), column);
        ref var target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(blurred), column);
        for (var v = start; v < end; v++)
        {
            var (down, up) = (Unsafe.Add(ref pairs, 2 * v) * Stride, Unsafe.Add(ref pairs, (2 * v) + 1) * Stride);
            var row = (v + 1) * Stride;
            T.Load(ref Unsafe.Add(ref source, row))
                .AddScaled(T.Load(ref Unsafe.Add(ref source, down)), 0.5f)
                .AddScaled(T.Load(ref Unsafe.Add(ref source, up)), 0.5f)
                .Store(ref Unsafe.Add(ref target, row));
        }
    }
}
