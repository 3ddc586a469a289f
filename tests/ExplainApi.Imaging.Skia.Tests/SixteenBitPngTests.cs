using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using SkiaSharp;
using static ExplainApi.Imaging.Skia.Tests.TestImages;

namespace ExplainApi.Imaging.Skia.Tests;

public class SixteenBitPngTests
{
    private static ImageTensor Decode(byte[] png) => new SkiaPngDecoder().Decode(png, DecodeOptions.Default, ImageLimits.Default);

    [Fact]
    public void A_16_bit_grey_png_keeps_every_level()
    {
        ushort[] levels = [0, 1, 255, 256, 1000, 32768, 65534, 65535, 4095, 12345, 40000, 257];

        var image = Decode(PngEncoder.EncodeGrey16(levels, 4, 3));

        Assert.Equal((1, 3, 4), (image.Channels, image.Height, image.Width));
        Assert.Equal(levels.Select(v => (float)v), image.Data);
        Assert.Equal(new IntensityWindow(0, 65535), image.Window);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Png, 16, "MONOCHROME2"), image.Source);
    }

    [Fact]
    public void Skia_itself_keeps_only_the_high_byte_which_is_why_we_read_16_bit_pngs_ourselves()
    {
        var levels = Levels16(40 * 30, 11);
        var png = PngEncoder.EncodeGrey16(levels, 40, 30);
        using var codec = SKCodec.Create(SKData.CreateCopy(png));
        var info16 = new SKImageInfo(40, 30, SKColorType.Rgba16161616, SKAlphaType.Unpremul, null);
        var info8 = new SKImageInfo(40, 30, SKColorType.Gray8, SKAlphaType.Opaque, null);
        var grey8 = new byte[info8.BytesSize64];

        Assert.Equal(SKCodecResult.InvalidConversion, codec.GetPixels(info16, new byte[info16.BytesSize64]));
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info8, grey8));
        // libpng's view (high bytes) agrees with ours, an independent check of our unfiltering.
        Assert.Equal(grey8.Select(v => (float)v), Decode(png).Data.Select(v => (float)((int)v >> 8)));
    }

    [Fact]
    public void A_16_bit_rgba_png_keeps_16_bit_rgb_and_drops_alpha()
    {
        var samples = Levels16(7 * 5 * 4, 12);

        var image = Decode(Png(7, 5, 16, 6, 8, BigEndian(samples)));

        Assert.Equal((3, 5, 7), (image.Channels, image.Height, image.Width));
        Assert.Equal([.. Channel(samples, 0, 4), .. Channel(samples, 1, 4), .. Channel(samples, 2, 4)], image.Data);
        Assert.Equal(new ImageSourceInfo(ImageFormat.Png, 16, "RGB"), image.Source);
    }

    [Fact]
    public void A_16_bit_rgb_png_keeps_16_bit_rgb()
    {
        var samples = Levels16(6 * 2 * 3, 13);

        var image = Decode(Png(6, 2, 16, 2, 6, BigEndian(samples)));

        Assert.Equal([.. Channel(samples, 0, 3), .. Channel(samples, 1, 3), .. Channel(samples, 2, 3)], image.Data);
    }

    [Fact]
    public void A_16_bit_grey_alpha_png_keeps_the_grey_channel()
    {
        var samples = Levels16(3 * 3 * 2, 14);

        var image = Decode(Png(3, 3, 16, 4, 4, BigEndian(samples)));

        Assert.Equal(1, image.Channels);
        Assert.Equal(Channel(samples, 0, 2), image.Data);
    }

    [Theory]
    [InlineData(11, 9)]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    public void An_interlaced_16_bit_grey_png_is_deinterlaced(int width, int height)
    {
        var levels = Levels16(width * height, 15);
        var png = Png(width, height, 16, 0, 2, BigEndian(levels), interlaced: true);

        Assert.Equal(levels.Select(v => (float)v), Decode(png).Data);
    }

    [Fact]
    public void An_interlaced_16_bit_rgb_png_is_deinterlaced()
    {
        var samples = Levels16(10 * 6 * 3, 16);

        var image = Decode(Png(10, 6, 16, 2, 6, BigEndian(samples), interlaced: true));

        Assert.Equal([.. Channel(samples, 0, 3), .. Channel(samples, 1, 3), .. Channel(samples, 2, 3)], image.Data);
    }

    [Fact]
    public void Idat_split_over_several_chunks_and_ancillary_chunks_are_read()
    {
        var levels = Levels16(8 * 8, 17);
        var raw = new List<byte>();
        for (var y = 0; y < 8; y++)
        {
            raw.Add(0);
            raw.AddRange(BigEndian(levels[(y * 8)..((y + 1) * 8)]));
        }

        var zlib = Zlib([.. raw]);
        var png = Assemble(Ihdr(8, 8, 16, 0), Chunk("gAMA", [0, 0, 0xB1, 0x8F]), Chunk("IDAT", zlib.AsSpan(0, 10)),
            Chunk("IDAT", zlib.AsSpan(10)), Chunk("tEXt", "Comment\0hi"u8), Chunk("IEND", []));

        Assert.Equal(levels.Select(v => (float)v), Decode(png).Data);
    }
}
