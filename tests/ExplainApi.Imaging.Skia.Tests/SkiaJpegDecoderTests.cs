using ExplainApi.Core.Imaging;
using SkiaSharp;
using static ExplainApi.Imaging.Skia.Tests.TestImages;

namespace ExplainApi.Imaging.Skia.Tests;

public class SkiaJpegDecoderTests
{
    private static ImageTensor Decode(byte[] jpeg) => new SkiaJpegDecoder().Decode(jpeg, DecodeOptions.Default, ImageLimits.Default);

    // JPEG is lossy: a smooth gradient at quality 100 comes back within a few levels.
    private static void AssertClose(IEnumerable<float> expected, IEnumerable<float> actual, float tolerance) =>
        Assert.All(expected.Zip(actual), p => Assert.InRange(p.Second, p.First - tolerance, p.First + tolerance));

    [Fact]
    public void A_grey_jpeg_decodes_to_one_channel_of_8_bit_levels()
    {
        var levels = Gradient(24, 16, 1);

        var image = Decode(SkiaEncode(levels, 24, 16, SKColorType.Gray8, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg));

        Assert.Equal((1, 16, 24), (image.Channels, image.Height, image.Width));
        AssertClose(levels.Select(v => (float)v), image.Data, 2);
        Assert.Equal(new IntensityWindow(0, 255), image.Window);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Jpeg, 8, "MONOCHROME2"), image.Source);
    }

    [Fact]
    public void A_colour_jpeg_decodes_to_three_planes()
    {
        var rgb = Gradient(32, 16, 3);
        var rgba = rgb.Chunk(3).SelectMany(p => new[] { p[0], p[1], p[2], (byte)255 }).ToArray();

        var image = Decode(SkiaEncode(rgba, 32, 16, SKColorType.Rgba8888, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg));

        Assert.Equal((3, 16, 32), (image.Channels, image.Height, image.Width));
        AssertClose([.. Channel(rgb, 0, 3), .. Channel(rgb, 1, 3), .. Channel(rgb, 2, 3)], image.Data, 6);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Jpeg, 8, "RGB"), image.Source);
    }

    [Fact]
    public void Dimensions_above_the_limits_are_rejected_from_the_header()
    {
        var jpeg = SkiaEncode(Gradient(64, 8, 1), 64, 8, SKColorType.Gray8, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg);

        var error = Assert.Throws<ImageDecodeException>(() =>
            new SkiaJpegDecoder().Decode(jpeg, DecodeOptions.Default, ImageLimits.Default with { MaxWidth = 32 }));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
    }
}
