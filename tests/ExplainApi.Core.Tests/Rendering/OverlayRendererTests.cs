using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class OverlayRendererTests
{
    // A 2x2 grey image with window [0, 200]: display levels 0, 51, 128 (ties to even: 127.5), 255.
    private static ImageTensor Grey() => new(1, 2, 2, [0f, 40f, 100f, 200f], new IntensityWindow(0, 200),
        new ImageSourceInfo(ImageFormat.Png, 8, "MONOCHROME2"));

    private static readonly float[] Map = [0f, 1f, 2f, 3f];

    [Fact]
    public void Opacity_zero_shows_only_the_image()
    {
        var rgb = OverlayRenderer.RenderRgb(Grey(), Map, 2, 2, new OverlayOptions { Opacity = 0f });

        Assert.Equal(new byte[] { 0, 0, 0, 51, 51, 51, 128, 128, 128, 255, 255, 255 }, rgb);
    }

    [Fact]
    public void Opacity_one_shows_only_the_heatmap()
    {
        var rgb = OverlayRenderer.RenderRgb(Grey(), Map, 2, 2, new OverlayOptions { Opacity = 1f, ColorMap = ColorMap.Viridis });

        Assert.Equal(HeatmapRenderer.Colorize(HeatmapRenderer.Normalize(Map, HeatmapScaling.MinMax), ColorMap.Viridis), rgb);
    }

    [Fact]
    public void Half_opacity_averages_image_and_heatmap()
    {
        var rgb = OverlayRenderer.RenderRgb(Grey(), Map, 2, 2, new OverlayOptions { Opacity = 0.5f });

        // Last pixel: image 255, inferno[255] = (252, 255, 164) -> (253.5, 255, 209.5), rounded to even.
        Assert.Equal(new byte[] { 254, 255, 210 }, rgb[9..]);
        // First pixel: image 0, inferno[0] = (0, 0, 4) -> (0, 0, 2).
        Assert.Equal(new byte[] { 0, 0, 2 }, rgb[..3]);
    }

    [Fact]
    public void Weighting_by_value_lets_weak_regions_show_the_image()
    {
        var rgb = OverlayRenderer.RenderRgb(Grey(), [3f, 0f, 0f, 0f], 2, 2, new OverlayOptions { Opacity = 1f, WeightByValue = true });

        Assert.Equal(new byte[] { 252, 255, 164 }, rgb[..3]);
        Assert.Equal(new byte[] { 51, 51, 51, 128, 128, 128, 255, 255, 255 }, rgb[3..]);
    }

    [Fact]
    public void A_smaller_map_is_resized_bilinearly_to_the_image()
    {
        var image = new ImageTensor(1, 4, 4, new float[16], new IntensityWindow(0, 1), new ImageSourceInfo(ImageFormat.Png, 8, "MONOCHROME2"));

        var rgb = OverlayRenderer.RenderRgb(image, [1f, 2f, 3f, 4f], 2, 2, new OverlayOptions { Opacity = 1f });

        var expected = Resize.Bilinear([1f, 2f, 3f, 4f], 2, 2, 4, 4);
        Assert.Equal(HeatmapRenderer.Colorize(HeatmapRenderer.Normalize(expected, HeatmapScaling.MinMax), ColorMap.Inferno), rgb);
    }

    [Fact]
    public void A_colour_image_keeps_its_channels()
    {
        var image = new ImageTensor(3, 1, 1, [255f, 0f, 51f], new IntensityWindow(0, 255), new ImageSourceInfo(ImageFormat.Png, 8, "RGB"));

        Assert.Equal(new byte[] { 255, 0, 51 }, OverlayRenderer.RenderRgb(image, [1f], 1, 1, new OverlayOptions { Opacity = 0f }));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Opacity_outside_0_to_1_is_rejected(float opacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OverlayRenderer.RenderRgb(Grey(), Map, 2, 2, new OverlayOptions { Opacity = opacity }));
    }

    [Fact]
    public void The_png_has_the_images_size()
    {
        var png = PngTestReader.Read(OverlayRenderer.RenderPng(Grey(), [1f], 1, 1, new OverlayOptions()));

        Assert.Equal((2, 2, 2), (png.Width, png.Height, png.ColourType));
    }
}
