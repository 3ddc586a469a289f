namespace ExplainApi.Core.Rendering.Charts;

/// <summary>
/// Anti-aliased thick polylines, drawn by distance as Gupta and Sproull proposed ("Filtering edges for
/// gray-scale displays", SIGGRAPH 1981): a pixel centre at distance d from the segment is covered by
/// clamp(w/2 + 1/2 - d, 0, 1), a linear ramp one pixel wide across the stroke's edge. Coverage is
/// kept per series as the maximum over its segments, not the sum, so that joints and overlaps of one
/// line are not drawn twice, then composited once.
/// </summary>
internal sealed class StrokeMask
{
    private readonly float[] _coverage;
    private readonly int _left;
    private readonly int _top;
    private readonly int _width;
    private readonly int _height;

    /// <summary>A mask over the pixels [left, left + width) x [top, top + height); strokes are clipped to it.</summary>
    public StrokeMask(int left, int top, int width, int height)
    {
        (_left, _top, _width, _height) = (left, top, Math.Max(width, 0), Math.Max(height, 0));
        _coverage = new float[_width * _height];
    }

    /// <summary>Adds a segment between pixel centres; a zero-length segment draws a dot.</summary>
    public void AddSegment(double x0, double y0, double x1, double y1, double lineWidth)
    {
        var reach = (lineWidth / 2) + 0.5;
        var (dx, dy) = (x1 - x0, y1 - y0);
        var lengthSquared = (dx * dx) + (dy * dy);
        var columns = (Math.Max((int)Math.Floor(Math.Min(x0, x1) - reach), _left), Math.Min((int)Math.Ceiling(Math.Max(x0, x1) + reach), _left + _width - 1));
        var rows = (Math.Max((int)Math.Floor(Math.Min(y0, y1) - reach), _top), Math.Min((int)Math.Ceiling(Math.Max(y0, y1) + reach), _top + _height - 1));
        for (var y = rows.Item1; y <= rows.Item2; y++)
        {
            for (var x = columns.Item1; x <= columns.Item2; x++)
            {
                // Distance from (x, y) to the nearest point of the segment, at parameter t in [0, 1].
                var t = lengthSquared == 0 ? 0 : Math.Clamp((((x - x0) * dx) + ((y - y0) * dy)) / lengthSquared, 0, 1);
                var (ex, ey) = (x - (x0 + (t * dx)), y - (y0 + (t * dy)));
                var cover = (float)Math.Clamp(reach - Math.Sqrt((ex * ex) + (ey * ey)), 0, 1);
                ref var cell = ref _coverage[((y - _top) * _width) + x - _left];
                cell = Math.Max(cell, cover);
            }
        }
    }

    /// <summary>The summed coverage inside a rectangle: how much of this line a legend placed there would hide.</summary>
    public double CoverageIn(int left, int top, int width, int height)
    {
        var sum = 0.0;
        for (var y = Math.Max(top, _top); y < Math.Min(top + height, _top + _height); y++)
        {
            for (var x = Math.Max(left, _left); x < Math.Min(left + width, _left + _width); x++)
            {
                sum += _coverage[((y - _top) * _width) + x - _left];
            }
        }

        return sum;
    }

    public void CompositeOnto(RgbCanvas canvas, Rgb colour)
    {
        for (var y = 0; y < _height; y++)
        {
            for (var x = 0; x < _width; x++)
            {
                canvas.Blend(_left + x, _top + y, colour, _coverage[(y * _width) + x]);
            }
        }
    }
}
