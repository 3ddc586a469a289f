namespace ExplainApi.Core.Rendering.Charts;

/// <summary>Lays out and draws one panel: title, grid, frame, ticks and labels, curves, legend, x label.</summary>
internal static class PanelRenderer
{
    public const string NoDataText = "no data yet";
    internal static readonly Rgb Ink = Rgb.FromHex(0x262626);
    internal static readonly Rgb FrameColour = Rgb.FromHex(0x404040);
    private static readonly Rgb GridColour = Rgb.FromHex(0xE8E8E8);
    private static readonly Rgb MutedInk = Rgb.FromHex(0x808080);

    public static void Draw(RgbCanvas canvas, PixelRect area, ChartPanel panel, IReadOnlyDictionary<string, Rgb> colours, int scale)
    {
        var runs = panel.Series.Select(s => Runs(s.Points, panel.LogY)).ToArray();
        var points = runs.SelectMany(r => r).SelectMany(run => run).ToArray();
        AxisTicks? x = null, y = null;
        if (points.Length > 0)
        {
            x = NiceTicks.Linear(points.Min(p => p.X), points.Max(p => p.X));
            var (low, high) = (points.Min(p => p.Y), points.Max(p => p.Y));
            y = panel.LogY ? NiceTicks.Log(low, high) : NiceTicks.Linear(low, high);
        }

        var (text, cap, pad, tick) = (BitmapFont.CellHeight * scale, BitmapFont.CapHeight * scale, 4 * scale, 3 * scale);
        var yLabelWidth = y?.Labels.Max(l => BitmapFont.Measure(l, scale)) ?? 0;
        var lastXLabelHalf = x is null ? 0 : BitmapFont.Measure(x.Labels[^1], scale) / 2;
        var frame = new PixelRect(
            area.Left + pad + yLabelWidth + (2 * scale) + tick,
            area.Top + pad + text + scale,
            area.Right - Math.Max(pad, lastXLabelHalf + scale),
            area.Bottom - pad - text - (2 * scale) - cap - (2 * scale) - tick);
        var centre = (frame.Left + frame.Right) / 2;
        DrawCentred(canvas, panel.Title, centre, area.Top + pad, area, scale, Ink);
        DrawCentred(canvas, panel.XLabel, centre, area.Bottom - pad - text + 1, area, scale, Ink);
        if (x is null || y is null)
        {
            DrawFrame(canvas, frame);
            DrawCentred(canvas, NoDataText, centre, ((frame.Top + frame.Bottom) / 2) - (cap / 2), area, scale, MutedInk);
            return;
        }

        var plot = new PlotTransform(frame, x, y, Inset: 3 * scale);
        DrawAxes(canvas, plot, scale);
        var lineWidth = scale == 2 ? 2.5 : 1.5;
        var masks = runs.Select(seriesRuns => Stroke(plot, seriesRuns, lineWidth)).ToArray();
        for (var i = 0; i < masks.Length; i++)
        {
            masks[i].CompositeOnto(canvas, colours[panel.Series[i].Name]);
        }

        ChartLegend.Draw(canvas, frame, [.. panel.Series.Select(s => (s.Name, colours[s.Name]))], masks, lineWidth, scale);
    }

    /// <summary>
    /// The drawable stretches of a series: the valid points between those that break the line (NaN,
    /// infinite, and on a log axis zero or negative).
    /// </summary>
    internal static List<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points, bool logY)
    {
        var runs = new List<List<(double X, double Y)>>();
        var current = new List<(double X, double Y)>();
        foreach (var p in points)
        {
            // Beyond 1e300 the axis arithmetic (max - min) could overflow; no training metric gets there.
            if (Math.Abs(p.X) <= 1e300 && Math.Abs(p.Y) <= 1e300 && (!logY || p.Y > 0))
            {
                current.Add(p);
            }
            else if (current.Count > 0)
            {
                runs.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            runs.Add(current);
        }

        return runs;
    }

    private static StrokeMask Stroke(PlotTransform plot, List<List<(double X, double Y)>> runs, double lineWidth)
    {
        // Lines may stand out of the frame by half their width, so that a curve along an axis shows whole.
        var margin = (int)Math.Ceiling(2 * lineWidth);
        var f = plot.Frame;
        var mask = new StrokeMask(f.Left - margin, f.Top - margin, f.Width + (2 * margin), f.Height + (2 * margin));
        foreach (var run in runs)
        {
            // A lone point (one value, or one between gaps) is a dot twice the line's width: a segment of length zero.
            if (run.Count == 1)
            {
                var (x, y) = (plot.ToPixelX(run[0].X), plot.ToPixelY(run[0].Y));
                mask.AddSegment(x, y, x, y, 2 * lineWidth);
            }

            for (var i = 0; i < run.Count - 1; i++)
            {
                var (a, b) = (run[i], run[i + 1]);
                mask.AddSegment(plot.ToPixelX(a.X), plot.ToPixelY(a.Y), plot.ToPixelX(b.X), plot.ToPixelY(b.Y), lineWidth);
            }
        }

        return mask;
    }

    private static void DrawAxes(RgbCanvas canvas, PlotTransform plot, int scale)
    {
        var (f, cap, tick, gap) = (plot.Frame, BitmapFont.CapHeight * scale, 3 * scale, 2 * scale);
        var ys = plot.Y.Values.Select(v => (int)Math.Round(plot.ToPixelY(v))).ToArray();
        var xs = plot.X.Values.Select(v => (int)Math.Round(plot.ToPixelX(v))).ToArray();
        foreach (var row in ys)
        {
            canvas.FillRect(f.Left + 1, row, f.Width - 2, 1, GridColour);
        }

        foreach (var column in xs)
        {
            canvas.FillRect(column, f.Top + 1, 1, f.Height - 2, GridColour);
        }

        DrawFrame(canvas, f);
        for (var i = 0; i < ys.Length; i++)
        {
            canvas.FillRect(f.Left - tick, ys[i], tick, 1, FrameColour);
            var label = plot.Y.Labels[i];
            canvas.DrawText(label, f.Left - tick - gap - BitmapFont.Measure(label, scale), ys[i] - (cap / 2), scale, Ink);
        }

        // Label every k-th x tick, k the smallest that leaves two character widths between labels.
        var widest = plot.X.Labels.Max(l => BitmapFont.Measure(l, scale));
        var spacing = Math.Max(1, (f.Width - 1) / (xs.Length - 1));
        var every = (int)Math.Ceiling((widest + (2.0 * BitmapFont.CellWidth * scale)) / spacing);
        for (var i = 0; i < xs.Length; i++)
        {
            canvas.FillRect(xs[i], f.Bottom + 1, 1, tick, FrameColour);
            if (i % every == 0)
            {
                var label = plot.X.Labels[i];
                canvas.DrawText(label, xs[i] - (BitmapFont.Measure(label, scale) / 2), f.Bottom + 1 + tick + gap, scale, Ink);
            }
        }
    }

    private static void DrawFrame(RgbCanvas canvas, PixelRect f)
    {
        canvas.FillRect(f.Left, f.Top, f.Width, 1, FrameColour);
        canvas.FillRect(f.Left, f.Bottom, f.Width, 1, FrameColour);
        canvas.FillRect(f.Left, f.Top, 1, f.Height, FrameColour);
        canvas.FillRect(f.Right, f.Top, 1, f.Height, FrameColour);
    }

    /// <summary>Draws text centred on <paramref name="centre"/>, shifted to stay inside the panel and shortened to fit it.</summary>
    private static void DrawCentred(RgbCanvas canvas, string text, int centre, int top, PixelRect area, int scale, Rgb colour)
    {
        text = BitmapFont.Fit(text, area.Width - (2 * scale), scale);
        var width = BitmapFont.Measure(text, scale);
        var left = Math.Max(area.Left + scale, Math.Min(centre - (width / 2), area.Right - scale - width));
        canvas.DrawText(text, left, top, scale, colour);
    }
}
