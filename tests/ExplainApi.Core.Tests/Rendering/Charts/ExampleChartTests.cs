using ExplainApi.Core.Rendering.Charts;

namespace ExplainApi.Core.Tests.Rendering.Charts;

/// <summary>
/// The chart the curves endpoint draws for a typical run; set CHARTS_EXAMPLE_PNG to a path to write
/// it out and look at it.
/// </summary>
public class ExampleChartTests
{
    [Fact]
    public void A_typical_run_renders_loss_on_a_log_axis_beside_accuracy()
    {
        var epochs = Enumerable.Range(1, 20).ToArray();
        var trainLoss = epochs.Select(e => ((double)e, 2.0 * Math.Exp(-0.3 * e) + 0.01)).ToArray();
        var valLoss = epochs.Select(e => ((double)e, 2.1 * Math.Exp(-0.25 * e) + 0.06 + (0.01 * Math.Sin(e)))).ToArray();
        var trainAccuracy = epochs.Select(e => ((double)e, 0.99 - (0.6 * Math.Exp(-0.3 * e)))).ToArray();
        var valAccuracy = epochs.Select(e => ((double)e, 0.93 - (0.55 * Math.Exp(-0.25 * e)))).ToArray();
        ChartPanel[] panels =
        [
            new("loss", "epoch", [new("train", trainLoss), new("val", valLoss)], LogY: true),
            new("accuracy", "epoch", [new("train", trainAccuracy), new("val", valAccuracy)]),
        ];

        var png = LineChart.RenderPng(panels);

        var image = ChartImage.Decode(png);
        Assert.Equal((960, 400), (image.Width, image.Height));
        Assert.Equal(4, image.FrameColumns().Length);
        if (Environment.GetEnvironmentVariable("CHARTS_EXAMPLE_PNG") is { Length: > 0 } path)
        {
            File.WriteAllBytes(path, png);
        }
    }
}
