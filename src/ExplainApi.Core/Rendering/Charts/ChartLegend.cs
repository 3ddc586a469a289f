namespace ExplainApi.Core.Rendering.Charts;

/// <summary>
/// The key inside the plot: a short stroke in each series' colour and its name, in a box put in the
/// corner that hides the least of the curves (as matplotlib's loc="best" does).
/// </summary>
internal static class ChartLegend
{
    private static readonly Rgb BorderColour = Rgb.FromHex(0xCCCCCC);
    private static readonly Rgb Paper = Rgb.FromHex(0xFFFFFF);

    public static void Draw(RgbCanvas canvas, PixelRect frame, IReadOnlyList<(string Name, Rgb Colour)> entries, IReadOnlyList<StrokeMask> masks, double lineWidth, int scale)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var (row, pad, swatch, inset) = (BitmapFont.CellHeight * scale, 3 * scale, 8 * scale, 4 * scale);
        entries = [.. entries.Select(e => (BitmapFont.Fit(e.Name, frame.Width / 2, scale), e.Colour))];
        var width = pad + swatch + (2 * scale) + entries.Max(e => BitmapFont.Measure(e.Name, scale)) + pad;
        var height = (2 * pad) + (entries.Count * row) + ((entries.Count - 1) * scale);
        (int Left, int Top)[] corners =
        [
            (frame.Right - inset - width, frame.Top + inset),
            (frame.Left + inset + 1, frame.Top + inset),
            (frame.Right - inset - width, frame.Bottom - inset - height),
            (frame.Left + inset + 1, frame.Bottom - inset - height),
        ];

        // The first corner (top right) wins ties, so placement is deterministic.
        var (left, top) = corners.MinBy(c => masks.Sum(m => m.CoverageIn(c.Left, c.Top, width, height)));
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                // Mostly opaque, as matplotlib's framealpha=0.8, so a curve beneath still shows faintly.
                canvas.Blend(x, y, Paper, 0.85);
            }
        }

        canvas.FillRect(left, top, width, 1, BorderColour);
        canvas.FillRect(left, top + height - 1, width, 1, BorderColour);
        canvas.FillRect(left, top, 1, height, BorderColour);
        canvas.FillRect(left + width - 1, top, 1, height, BorderColour);
        var thickness = (int)Math.Round(lineWidth);
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, colour) = entries[i];
            var textTop = top + pad + (i * (row + scale));
            var middle = textTop + (BitmapFont.CapHeight * scale / 2);
            canvas.FillRect(left + pad, middle - (thickness / 2), swatch, thickness, colour);
            canvas.DrawText(name, left + pad + swatch + (2 * scale), textTop, scale, PanelRenderer.Ink);
        }
    }
}
