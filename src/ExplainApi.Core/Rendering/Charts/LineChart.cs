namespace ExplainApi.Core.Rendering.Charts;

/// <summary>
/// Line charts of training curves as RGB PNGs, drawn in managed code with a built-in font (no Skia,
/// no OS fonts), so the same data give the same bytes on every machine.
/// </summary>
public static class LineChart
{
    /// <summary>The narrowest panel the layout fits, in pixels.</summary>
    public const int MinPanelWidth = 160;

    /// <summary>The lowest chart the layout fits, in pixels.</summary>
    public const int MinHeight = 120;

    /// <summary>
    /// Renders panels side by side (e.g. "loss" and "metrics") into one RGB PNG of the given size.
    /// </summary>
    /// <remarks>
    /// A series' colour follows its name, in order of first appearance across the panels, so that
    /// "train" is the same colour in every panel. Text is drawn at twice the font's size when each
    /// panel is at least 360 x 300 pixels. No panels at all gives one empty frame reading "no data yet".
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The chart is lower than <see cref="MinHeight"/> or narrower than <see cref="MinPanelWidth"/> per panel.
    /// </exception>
    public static byte[] RenderPng(IReadOnlyList<ChartPanel> panels, int width = 960, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            panels = [new ChartPanel(string.Empty, string.Empty, [])];
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(height, MinHeight);
        if (width < MinPanelWidth * panels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"{panels.Count} panels need at least {MinPanelWidth * panels.Count} pixels.");
        }

        var colours = new Dictionary<string, Rgb>(StringComparer.Ordinal);
        foreach (var series in panels.SelectMany(p => p.Series))
        {
            colours.TryAdd(series.Name, ChartPalette.Colour(colours.Count));
        }

        var scale = height >= 300 && width / panels.Count >= 360 ? 2 : 1;
        var canvas = new RgbCanvas(width, height);
        for (var i = 0; i < panels.Count; i++)
        {
            var (left, right) = (i * width / panels.Count, (i + 1) * width / panels.Count);
            PanelRenderer.Draw(canvas, new PixelRect(left, 0, right - 1, height - 1), panels[i], colours, scale);
        }

        return canvas.ToPng();
    }
}
