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
        // One loop per filter rather than a predictor switch per byte: every response map is PNG-encoded, five times per row.
        var n = row.Length;
        var first = Math.Min(bytesPerPixel, n);
        var hasUp = !previous.IsEmpty;
        switch (filter)
        {
            case None:
                row.CopyTo(destination);
                break;
            case Sub:
                row[..first].CopyTo(destination);
                for (var i = first; i < n; i++)
                {
                    destination[i] = (byte)(row[i] - row[i - bytesPerPixel]);
                }

                break;
            case Up:
                for (var i = 0; i < n; i++)
                {
                    destination[i] = (byte)(row[i] - (hasUp ? previous[i] : 0));
                }

                break;
            case Average:
                for (var i = 0; i < n; i++)
                {
                    var left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    destination[i] = (byte)(row[i] - ((left + (hasUp ? previous[i] : 0)) >> 1));
                }

                break;
            case Paeth:
                for (var i = 0; i < n; i++)
                {
                    int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0, up = hasUp ? previous[i] : 0;
                    var upLeft = hasUp && i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                    destination[i] = (byte)(row[i] - PaethPredictor(left, up, upLeft));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "PNG filter types are 0 to 4.");
        }
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
