using System.Buffers.Binary;
using ExplainApi.Core.Rendering.Charts;

namespace ExplainApi.Core.Tests.Rendering.Charts;

public class LineChartTests
{
    private static readonly ChartSeries Nothing = new("empty", []);

    [Fact]
    public void The_png_is_rgb8_of_the_requested_size()
    {
        var png = LineChart.RenderPng([Panel(new ChartSeries("train", [(1, 0.9), (2, 0.5), (3, 0.4)]))], 640, 300);

        // IHDR comes first, right after the signature: length, type, then width and height.
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal((640, 300), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        var decoded = PngTestReader.Read(png);
        Assert.Equal((640, 300, 8, 2), (decoded.Width, decoded.Height, decoded.BitDepth, decoded.ColourType));
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
        Assert.Equal((255, 255, 255), ChartImage.Decode(png)[0, 0]);
    }

    [Fact]
    public void A_horizontal_line_at_half_lies_halfway_up_the_frame()
    {
        var level = new ChartSeries("level", [(0, 0.5), (1, 0.5)]);
        var upright = new ChartSeries("upright", [(0.5, 0), (0.5, 1)]);

        var image = ChartImage.Decode(LineChart.RenderPng([Panel(level, upright)], 480, 400));

        var columns = image.FrameColumns();
        Assert.Equal(2, columns.Length);
        var (left, right) = (columns[0], columns[1]);
        var (top, bottom) = image.FrameRows(left);
        var rows = image.RowsOf(ChartImage.Blue, left + ((right - left) / 4));
        Assert.NotEmpty(rows);
        Assert.InRange(rows.Average(), top + ((bottom - top) * 0.5) - 2, top + ((bottom - top) * 0.5) + 2);
        var uprightColumns = image.ColumnsOf(ChartImage.Orange, top + ((bottom - top) * 3 / 4));
        Assert.NotEmpty(uprightColumns);
        Assert.InRange(uprightColumns.Average(), left + ((right - left) * 0.5) - 2, left + ((right - left) * 0.5) + 2);
    }

    [Fact]
    public void Non_finite_points_break_the_line()
    {
        var broken = new ChartSeries("broken", [(0, 1), (1, 1), (2, double.NaN), (double.PositiveInfinity, 3), (3, 1), (4, 1)]);

        var image = ChartImage.Decode(LineChart.RenderPng([Panel(broken)], 480, 400));

        var (left, right) = (image.FrameColumns()[0], image.FrameColumns()[1]);
        var (top, bottom) = image.FrameRows(left);
        int At(double x) => left + (int)Math.Round((right - left) * x / 4);
        Assert.False(image.AnyColourIn(At(1.25), top + 1, At(2.75), bottom - 1));
        Assert.NotEmpty(image.RowsOf(ChartImage.Blue, At(0.5)));
        Assert.NotEmpty(image.RowsOf(ChartImage.Blue, At(3.5)));
    }

    [Fact]
    public void Two_panels_sit_side_by_side_each_with_its_own_curves()
    {
        var loss = new ChartPanel("loss", "epoch", [new ChartSeries("loss", [(1, 2.0), (2, 1.0), (3, 0.5)])], LogY: true);
        var accuracy = new ChartPanel("metrics", "epoch", [new ChartSeries("accuracy", [(1, 0.5), (2, 0.7), (3, 0.8)])]);

        var image = ChartImage.Decode(LineChart.RenderPng([loss, accuracy], 960, 400));

        var columns = image.FrameColumns();
        Assert.Equal(4, columns.Length);
        Assert.True(columns[1] < 480 && columns[2] >= 480);
        var blue = Enumerable.Range(0, 400).SelectMany(y => image.ColumnsOf(ChartImage.Blue, y)).ToArray();
        var orange = Enumerable.Range(0, 400).SelectMany(y => image.ColumnsOf(ChartImage.Orange, y)).ToArray();
        Assert.Contains(blue, x => x < 480);
        Assert.DoesNotContain(blue, x => x >= 480);
        Assert.Contains(orange, x => x >= 480);
        Assert.DoesNotContain(orange, x => x < 480);
    }

    [Fact]
    public void A_series_keeps_its_colour_in_every_panel()
    {
        ChartPanel Curve(string title) => new(title, "epoch", [new ChartSeries("train", [(1, 1.0), (2, 2.0)])]);

        var image = ChartImage.Decode(LineChart.RenderPng([Curve("a"), Curve("b")], 960, 400));

        var blue = Enumerable.Range(0, 400).SelectMany(y => image.ColumnsOf(ChartImage.Blue, y)).ToArray();
        Assert.Contains(blue, x => x < 480);
        Assert.Contains(blue, x => x >= 480);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_panel_without_data_says_so_inside_an_empty_frame(bool logY)
    {
        var unplottable = new ChartSeries("val", [(1, double.NaN), (2, logY ? 0 : double.NaN)]);

        var image = ChartImage.Decode(LineChart.RenderPng([new ChartPanel("loss", "epoch", [Nothing, unplottable], logY)], 480, 400));

        Assert.Equal(2, image.FrameColumns().Length);
        Assert.InRange(image.CountNonWhiteIn(180, 180, 300, 220), 40, 4000);
        Assert.False(image.AnyColourIn(0, 0, 479, 399));
    }

    [Fact]
    public void No_panels_at_all_render_one_empty_frame()
    {
        var image = ChartImage.Decode(LineChart.RenderPng([], 320, 200));

        Assert.Equal(2, image.FrameColumns().Length);
        Assert.True(image.CountNonWhiteIn(100, 80, 220, 120) > 20);
    }

    [Fact]
    public void The_same_data_give_the_same_bytes()
    {
        ChartPanel[] panels = [Panel(new ChartSeries("train", [(0, 0.3), (1, 0.25), (2, 0.2)]), new ChartSeries("val", [(0, 0.4), (2, 0.3)]))];

        Assert.Equal(LineChart.RenderPng(panels), LineChart.RenderPng(panels));
    }

    [Theory]
    [InlineData(300, 400, 2)]
    [InlineData(960, 100, 1)]
    public void Charts_too_small_for_the_layout_are_refused(int width, int height, int panelCount)
    {
        var panels = Enumerable.Repeat(Panel(Nothing), panelCount).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => LineChart.RenderPng(panels, width, height));
    }

    private static ChartPanel Panel(params ChartSeries[] series) => new("curves", "epoch", series);
}
