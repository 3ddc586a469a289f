namespace ExplainApi.Core.Tests.Rendering.Charts;

/// <summary>A decoded chart PNG with the pixel queries the chart tests need.</summary>
internal sealed class ChartImage(DecodedPng png)
{
    /// <summary>The frame's colour; tick labels and text are darker, grid lines much lighter.</summary>
    public static readonly (byte R, byte G, byte B) Frame = (0x40, 0x40, 0x40);
    public static readonly (byte R, byte G, byte B) Blue = (0x1F, 0x77, 0xB4);
    public static readonly (byte R, byte G, byte B) Orange = (0xFF, 0x7F, 0x0E);

    public static ChartImage Decode(byte[] png) => new(PngTestReader.Read(png));

    public int Width => png.Width;

    public int Height => png.Height;

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = ((y * png.Width) + x) * 3;
            return (png.Samples[i], png.Samples[i + 1], png.Samples[i + 2]);
        }
    }

    /// <summary>The frames' vertical edges: columns that are mostly frame colour, left to right.</summary>
    public int[] FrameColumns() =>
        [.. Enumerable.Range(0, Width).Where(x => Enumerable.Range(0, Height).Count(y => this[x, y] == Frame) > Height / 2)];

    /// <summary>
    /// The frame's top and bottom rows, read one column right of its left edge: the edge column itself
    /// runs on into the first x tick.
    /// </summary>
    public (int Top, int Bottom) FrameRows(int leftEdge)
    {
        var rows = Enumerable.Range(0, Height).Where(y => this[leftEdge + 1, y] == Frame).ToArray();
        return (rows[0], rows[^1]);
    }

    public int[] RowsOf((byte R, byte G, byte B) colour, int column) =>
        [.. Enumerable.Range(0, Height).Where(y => this[column, y] == colour)];

    public int[] ColumnsOf((byte R, byte G, byte B) colour, int row) =>
        [.. Enumerable.Range(0, Width).Where(x => this[x, row] == colour)];

    /// <summary>Whether any pixel in the rectangle has a hue; axes, grid and text are all grey.</summary>
    public bool AnyColourIn(int left, int top, int right, int bottom) =>
        Enumerable.Range(left, right - left + 1).Any(x => Enumerable.Range(top, bottom - top + 1).Any(y => this[x, y] is var (r, g, b) && (r != g || g != b)));

    public int CountNonWhiteIn(int left, int top, int right, int bottom) =>
        Enumerable.Range(left, right - left + 1).Sum(x => Enumerable.Range(top, bottom - top + 1).Count(y => this[x, y] != (255, 255, 255)));
}
