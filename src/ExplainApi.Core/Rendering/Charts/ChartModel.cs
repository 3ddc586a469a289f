namespace ExplainApi.Core.Rendering.Charts;

/// <summary>One named curve; non-finite points (and, on a log axis, values at or below zero) break the line.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>One plot of a chart: its title, the x-axis label, its curves, and whether y is on a log scale.</summary>
public sealed record ChartPanel(string Title, string XLabel, IReadOnlyList<ChartSeries> Series, bool LogY = false);
