using System.Numerics;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Rendering;

/// <summary>
/// PNG filter method 0 (PNG spec, ISO/IEC 15948:2003, section 9): five per-row byte predictors, where
/// "left" is the byte one pixel back and "up" the same byte in the previous (unfiltered) row, which
/// counts as all zeros for the first row.
/// </summary>
public static class PngFilters
{
    public const int None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="filter"/> into <paramref name="destination"/>.</summary>
    public static void Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> destination)
    {
        // Every response map is PNG-encoded with all five filters tried per row, so each filter runs as a SIMD loop
        // over whole rows (the predictors read only unfiltered bytes, so no lane depends on another).
        var n = row.Length;
        var first = Math.Min(bytesPerPixel, n);
        var up = previous.IsEmpty ? previous : previous[..n];
        switch (filter)
        {
            case None:
                row.CopyTo(destination);
                break;
            case Sub:
                row[..first].CopyTo(destination);
                Subtract(row[first..], row[..(n - first)], destination[first..]);
                break;
            case Up when up.IsEmpty:
                row.CopyTo(destination);
                break;
            case Up:
                Subtract(row, up, destination);
                break;
            case Average when up.IsEmpty:
                row[..first].CopyTo(destination);
                AverageFilter(row[first..], row[..(n - first)], default, destination[first..]);
                break;
            case Average:
                AverageFilter(row[..first], up[..first], default, destination);
                AverageFilter(row[first..], row[..(n - first)], up[first..], destination[first..]);
                break;
            case Paeth when up.IsEmpty:
                // With a zero row above the predictor is the left byte (section 9.4): Sub.
                Filter(Sub, row, previous, bytesPerPixel, destination);
                break;
            case Paeth:
                // Left and upper-left are zero for the first pixel: the predictor is the byte above.
                Subtract(row[..first], up[..first], destination);
                PaethFilter(row[first..], row[..(n - first)], up[first..], up[..(n - first)], destination[first..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "PNG filter types are 0 to 4.");
        }
    }

    private static void Subtract(ReadOnlySpan<byte> row, ReadOnlySpan<byte> predictor, Span<byte> destination)
    {
        var i = 0;
        for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            (new Vector<byte>(row[i..]) - new Vector<byte>(predictor[i..])).CopyTo(destination[i..]);
        }

        for (; i < row.Length; i++)
        {
            destination[i] = (byte)(row[i] - predictor[i]);
        }
    }

    // floor((left + up) / 2) without widening: (a & b) + ((a ^ b) >> 1). An empty up reads as zeros.
    private static void AverageFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> left, ReadOnlySpan<byte> up, Span<byte> destination)
    {
        var i = 0;
        if (!up.IsEmpty)
        {
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector<byte> a = new(left[i..]), b = new(up[i..]);
                (new Vector<byte>(row[i..]) - ((a & b) + Vector.ShiftRightLogical(a ^ b, 1))).CopyTo(destination[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            destination[i] = (byte)(row[i] - (((left.IsEmpty ? 0 : left[i]) + (up.IsEmpty ? 0 : up[i])) >> 1));
        }
    }

    private static void PaethFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> left, ReadOnlySpan<byte> up, ReadOnlySpan<byte> upLeft, Span<byte> destination)
    {
        var i = 0;
        for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.Widen(new Vector<byte>(left[i..]), out var a0, out var a1);
            Vector.Widen(new Vector<byte>(up[i..]), out var b0, out var b1);
            Vector.Widen(new Vector<byte>(upLeft[i..]), out var c0, out var c1);
            var predicted = Vector.Narrow(PaethPredictor(a0, b0, c0), PaethPredictor(a1, b1, c1));
            (new Vector<byte>(row[i..]) - predicted).CopyTo(destination[i..]);
        }

        for (; i < row.Length; i++)
        {
            destination[i] = (byte)(row[i] - PaethPredictor(left[i], up[i], upLeft[i]));
        }
    }

    // The scalar predictor below on 16-bit lanes: pa = |b − c|, pb = |a − c|, pc = |a + b − 2c|.
    private static Vector<ushort> PaethPredictor(Vector<ushort> a, Vector<ushort> b, Vector<ushort> c)
    {
        Vector<short> sa = Vector.AsVectorInt16(a), sb = Vector.AsVectorInt16(b), sc = Vector.AsVectorInt16(c);
        var pa = Vector.Abs(sb - sc);
        var pb = Vector.Abs(sa - sc);
        var pc = Vector.Abs(sb - sc + sa - sc);
        var pickA = Vector.LessThanOrEqual(pa, pb) & Vector.LessThanOrEqual(pa, pc);
        var pickB = Vector.LessThanOrEqual(pb, pc);
        return Vector.AsVectorUInt16(Vector.ConditionalSelect(pickA, sa, Vector.ConditionalSelect(pickB, sb, sc)));
    }

    /// <summary>The sum of a filtered row's bytes read as signed values: lower compresses better (section 12.8's heuristic).</summary>
    public static long Cost(ReadOnlySpan<byte> bytes)
    {
        // |b| of a byte read as signed is min(b, 256 − b) read as unsigned (0x80 → 128), summed in 16-bit lanes that
        // cannot overflow within a block of 128 vectors (2 × 128 added per lane per vector).
        long cost = 0;
        var i = 0;
        var count = Vector<byte>.Count;
        while (i <= bytes.Length - count)
        {
            var lanes = Vector<ushort>.Zero;
            for (var block = 0; block < 128 && i <= bytes.Length - count; block++, i += count)
            {
                var v = new Vector<byte>(bytes[i..]);
                Vector.Widen(Vector.Min(v, Vector<byte>.Zero - v), out var low, out var high);
                lanes += low + high;
            }

            Vector.Widen(lanes, out var wide0, out var wide1);
            cost += Vector.Sum(wide0) + Vector.Sum(wide1);
        }

        foreach (var b in MemoryMarshal.Cast<byte, sbyte>(bytes[i..]))
        {
            cost += b < 0 ? -b : b;
        }

        return cost;
    }

    /// <summary>Reverses <paramref name="filter"/> in place; bytes to the left are already reconstructed.</summary>
    public static void Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        if (filter is < None or > Paeth)
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter, "PNG filter types are 0 to 4.");
        }

        for (var i = 0; i < row.Length; i++)
        {
            row[i] = (byte)(row[i] + Predict(filter, row, previous, bytesPerPixel, i));
        }
    }

    private static int Predict(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, int i)
    {
        int left = i >= bpp ? row[i - bpp] : 0;
        int up = previous.IsEmpty ? 0 : previous[i];
        return filter switch
        {
            Sub => left,
            Up => up,
            Average => (left + up) >> 1,
            Paeth => PaethPredictor(left, up, i >= bpp && !previous.IsEmpty ? previous[i - bpp] : 0),
            _ => 0,
        };
    }

    // Section 9.4: the neighbour closest to left + up - upLeft, ties broken left, up, upLeft.
    private static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
