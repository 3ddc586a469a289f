using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// A block of one value row (a vertex's or a point's channels) held in registers. The filter's loops are written once over
/// this interface and the JIT compiles them per block type, so a row of 21 labels (stride 24) is three 256-bit registers
/// and a row of one channel a single float, with no per-channel loop. The default value is the zero block.
/// </summary>
internal interface IRowBlock<TSelf>
    where TSelf : struct, IRowBlock<TSelf>
{
    static abstract TSelf Load(ref float source);

    /// <summary>this + w·x (fused where the CPU can).</summary>
    TSelf AddScaled(TSelf x, float w);

    void Store(ref float target);
}

/// <summary>Runs one generic action per block of a row of <see cref="LatticeRows.Stride"/> floats.</summary>
internal interface IRowAction
{
    void Run<T>(int column)
        where T : struct, IRowBlock<T>;
}

internal static class LatticeRows
{
    /// <summary>The padded row length for <paramref name="channels"/>: 1, 2, 4 or a multiple of 8 (the block types below).</summary>
    public static int Stride(int channels) => channels <= 2 ? channels : channels <= 4 ? 4 : (channels + 7) / 8 * 8;

    /// <summary>Calls <paramref name="action"/> for each block of a row of <paramref name="stride"/> floats (from <see cref="Stride"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForEachBlock<TAction>(int stride, ref TAction action)
        where TAction : struct, IRowAction
    {
        switch (stride)
        {
            case 1:
                action.Run<Floats1>(0);
                return;
            case 2:
                action.Run<Floats2>(0);
                return;
            case 4:
                action.Run<Floats4>(0);
                return;
        }

        var column = 0;
        for (; column + 24 <= stride; column += 24)
        {
            action.Run<Floats24>(column);
        }

        for (; column < stride; column += 8)
        {
            action.Run<Floats8>(column);
        }
    }
}

internal struct Floats1 : IRowBlock<Floats1>
{
    private float a;

    public static Floats1 Load(ref float source) => new() { a = source };

    public readonly Floats1 AddScaled(Floats1 x, float w) => new() { a = float.MultiplyAddEstimate(x.a, w, a) };

    public readonly void Store(ref float target) => target = a;

    public readonly float Value => a;
}

internal struct Floats2 : IRowBlock<Floats2>
{
    private float a;
    private float b;

    public static Floats2 Load(ref float source) => new() { a = source, b = Unsafe.Add(ref source, 1) };

    public readonly Floats2 AddScaled(Floats2 x, float w) => new() { a = float.MultiplyAddEstimate(x.a, w, a), b = float.MultiplyAddEstimate(x.b, w, b) };

    public readonly void Store(ref float target) => (target, Unsafe.Add(ref target, 1)) = (a, b);

    public readonly (float A, float B) Values => (a, b);
}

internal struct Floats4 : IRowBlock<Floats4>
{
    private Vector128<float> a;

    public static Floats4 Load(ref float source) => new() { a = Vector128.LoadUnsafe(ref source) };

    public readonly Floats4 AddScaled(Floats4 x, float w) => new() { a = Vector128.MultiplyAddEstimate(x.a, Vector128.Create(w), a) };

    public readonly void Store(ref float target) => a.StoreUnsafe(ref target);
}

internal struct Floats8 : IRowBlock<Floats8>
{
    private Vector256<float> a;

    public static Floats8 Load(ref float source) => new() { a = Vector256.LoadUnsafe(ref source) };

    public readonly Floats8 AddScaled(Floats8 x, float w) => new() { a = Vector256.MultiplyAddEstimate(x.a, Vector256.Create(w), a) };

    public readonly void Store(ref float target) => a.StoreUnsafe(ref target);
}

internal struct Floats24 : IRowBlock<Floats24>
{
    private Vector256<float> a;
    private Vector256<float> b;
    private Vector256<float> c;

    public static Floats24 Load(ref float source) =>
        new() { a = Vector256.LoadUnsafe(ref source), b = Vector256.LoadUnsafe(ref source, 8), c = Vector256.LoadUnsafe(ref source, 16) };

    public readonly Floats24 AddScaled(Floats24 x, float w)
    {
        var scale = Vector256.Create(w);
        return new()
        {
            a = Vector256.MultiplyAddEstimate(x.a, scale, a),
            b = Vector256.MultiplyAddEstimate(x.b, scale, b),
            c = Vector256.MultiplyAddEstimate(x.c, scale, c),
        };
    }

    public readonly void Store(ref float target)
    {
        a.StoreUnsafe(ref target);
        b.StoreUnsafe(ref target, 8);
        c.StoreUnsafe(ref target, 16);
    }
}
