namespace ExplainApi.Core.Rendering.Charts;

/// <summary>A rectangle of pixels with inclusive edges; pixel (x, y) has its centre at (x, y).</summary>
internal readonly record struct PixelRect(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;
}

/// <summary>
/// Maps data values to pixel positions: the axes' ends fall <paramref name="Inset"/> pixels inside the
/// frame's edges, so that a curve at an axis end (a first accuracy on the lowest tick) is not drawn
/// over the frame, as matplotlib's axes margins keep it off; a log axis is linear in log10 of the value.
/// </summary>
internal sealed record PlotTransform(PixelRect Frame, AxisTicks X, AxisTicks Y, int Inset)
{
    public double ToPixelX(double x) => Frame.Left + Inset + (Fraction(x, X) * (Frame.Right - Frame.Left - (2 * Inset)));

    public double ToPixelY(double y) => Frame.Bottom - Inset - (Fraction(y, Y) * (Frame.Bottom - Frame.Top - (2 * Inset)));

    private static double Fraction(double value, AxisTicks axis) => axis.IsLog
        ? (Math.Log10(value) - Math.Log10(axis.Min)) / (Math.Log10(axis.Max) - Math.Log10(axis.Min))
        : (value - axis.Min) / (axis.Max - axis.Min);
}
