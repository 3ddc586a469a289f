using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using SkiaSharp;
using static ExplainApi.Imaging.Skia.Tests.TestImages;

namespace ExplainApi.Imaging.Skia.Tests;

public class SkiaPngDecoderTests
{
    private static readonly SkiaPngDecoder Decoder = new();

    private static ImageTensor Decode(byte[] png) => Decoder.Decode(png, DecodeOptions.Default, ImageLimits.Default);

    [Fact]
    public void An_8_bit_grey_png_from_skia_keeps_every_level()
    {
        var levels = Seeded(13 * 7, 1);
        var png = SkiaEncode(levels, 13, 7, SKColorType.Gray8, SKAlphaType.Opaque, SKEncodedImageFormat.Png);
        Assert.Equal(0, png[25]); // IHDR colour type: Skia wrote real greyscale.

        var image = Decode(png);

        Assert.Equal((1, 7, 13), (image.Channels, image.Height, image.Width));
        Assert.Equal(levels.Select(v => (float)v), image.Data);
        Assert.Equal(new IntensityWindow(0, 255), image.Window);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Png, 8, "MONOCHROME2"), image.Source);
    }

    [Fact]
    public void An_8_bit_rgb_png_from_skia_becomes_three_planes()
    {
        var rgba = Seeded(9 * 5 * 4, 2);
        for (var i = 3; i < rgba.Length; i += 4)
        {
            rgba[i] = 255;
        }

        var png = SkiaEncode(rgba, 9, 5, SKColorType.Rgba8888, SKAlphaType.Opaque, SKEncodedImageFormat.Png);
        Assert.Equal(2, png[25]);

        var image = Decode(png);

        Assert.Equal((3, 5, 9), (image.Channels, image.Height, image.Width));
        Assert.Equal([.. Channel(rgba, 0, 4), .. Channel(rgba, 1, 4), .. Channel(rgba, 2, 4)], image.Data);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Png, 8, "RGB"), image.Source);
    }

    [Fact]
    public void Rgba_drops_alpha_without_premultiplying_even_where_alpha_is_zero()
    {
        var rgba = Seeded(6 * 4 * 4, 3);
        rgba[3] = 0;
        var image = Decode(PngEncoder.Encode(rgba, 6, 4, PngPixelFormat.Rgba8));

        Assert.Equal([.. Channel(rgba, 0, 4), .. Channel(rgba, 1, 4), .. Channel(rgba, 2, 4)], image.Data);
    }

    [Fact]
    public void Our_encoders_grey8_and_rgb8_read_back_exactly_through_libpng()
    {
        var grey = Seeded(31 * 3, 4);
        var rgb = Seeded(31 * 3 * 3, 5);

        Assert.Equal(grey.Select(v => (float)v), Decode(PngEncoder.Encode(grey, 31, 3, PngPixelFormat.Grey8)).Data);
        Assert.Equal([.. Channel(rgb, 0, 3), .. Channel(rgb, 1, 3), .. Channel(rgb, 2, 3)], Decode(PngEncoder.Encode(rgb, 31, 3, PngPixelFormat.Rgb8)).Data);
    }

    [Fact]
    public void Gamma_and_colour_profile_chunks_do_not_change_the_levels()
    {
        // gAMA 1.0 would brighten every mid-level if Skia colour-managed the decode.
        var rgb = Seeded(4 * 4 * 3, 9);
        var plain = PngEncoder.Encode(rgb, 4, 4, PngPixelFormat.Rgb8);
        var png = Assemble(plain[8..33], Chunk("gAMA", [0x00, 0x01, 0x86, 0xA0]), plain[33..]);

        Assert.Equal([.. Channel(rgb, 0, 3), .. Channel(rgb, 1, 3), .. Channel(rgb, 2, 3)], Decode(png).Data);
        // The premise: asked for an sRGB destination, Skia does apply the gamma.
        using var codec = SKCodec.Create(SKData.CreateCopy(png));
        var srgb = new SKImageInfo(4, 4, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
        var managed = new byte[srgb.BytesSize64];
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(srgb, managed));
        Assert.NotEqual(rgb[0], managed[0]);
    }

    [Fact]
    public void Grey_with_alpha_keeps_the_grey_channel()
    {
        var pixels = Seeded(5 * 3 * 2, 6);

        var image = Decode(Png(5, 3, 8, 4, 2, pixels));

        Assert.Equal(1, image.Channels);
        Assert.Equal(Channel(pixels, 0, 2), image.Data);
    }

    [Fact]
    public void A_palette_png_becomes_the_palettes_rgb()
    {
        byte[] palette = [10, 20, 30, 200, 100, 50, 0, 255, 7];
        byte[] indices = [0, 1, 2, 2, 1, 0];

        var image = Decode(Png(3, 2, 8, 3, 1, indices, palette: palette));

        Assert.Equal((3, 2, 3), (image.Channels, image.Height, image.Width));
        Assert.Equal(new float[] { 10, 200, 0, 0, 200, 10, 20, 100, 255, 255, 100, 20, 30, 50, 7, 7, 50, 30 }, image.Data);
        Assert.Equal(8, image.Source.BitsStored);
    }

    [Fact]
    public void A_1_bit_grey_png_is_scaled_to_8_bit_levels()
    {
        // One row of 8 pixels packed into a byte, most significant bit first: 1011 0001.
        var png = Assemble(Ihdr(8, 1, 1, 0), Chunk("IDAT", Zlib([0, 0b1011_0001])), Chunk("IEND", []));

        Assert.Equal(new float[] { 255, 0, 255, 255, 0, 0, 0, 255 }, Decode(png).Data);
    }

    [Fact]
    public void An_interlaced_8_bit_grey_png_is_deinterlaced_by_libpng()
    {
        var levels = Seeded(11 * 9, 7);

        Assert.Equal(levels.Select(v => (float)v), Decode(Png(11, 9, 8, 0, 1, levels, interlaced: true)).Data);
    }

    [Fact]
    public void Concurrent_decodes_on_one_instance_agree()
    {
        var png = PngEncoder.Encode(Seeded(64 * 64 * 3, 8), 64, 64, PngPixelFormat.Rgb8);
        var expected = Decode(png).Data;

        var results = new float[16][];
        Parallel.For(0, results.Length, i => results[i] = Decode(png).Data);

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
