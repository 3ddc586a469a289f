using System.Buffers.Binary;
using ExplainApi.Core.Imaging;
using SkiaSharp;
using static ExplainApi.Imaging.Skia.Tests.TestImages;

namespace ExplainApi.Imaging.Skia.Tests;

/// <summary>Files whose pixel data ends before the image their header declares: 422 Truncated, never grey-filled.</summary>
public class TruncatedImageTests
{
    private static ImageDecodeException Fails(IImageDecoder decoder, byte[] data) =>
        Assert.Throws<ImageDecodeException>(() => decoder.Decode(data, DecodeOptions.Default, ImageLimits.Default));

    private static SKCodecResult SkiaResult(byte[] data)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(data));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
        return codec.GetPixels(info, new byte[info.BytesSize64]);
    }

    /// <summary>A 112 x 112 JPEG whose SOF0 says <paramref name="size"/> square: the scan ends (EOI) long before the image.</summary>
    private static byte[] JpegClaiming(int size, SKColorType colorType)
    {
        var channels = colorType == SKColorType.Gray8 ? 1 : 4;
        var jpeg = SkiaEncode(Gradient(112, 112, channels), 112, 112, colorType, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg, 90);
        var sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)size);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)size);
        return jpeg;
    }

    [Theory]
    [InlineData(SKColorType.Gray8)]
    [InlineData(SKColorType.Rgba8888)]
    public void A_jpeg_whose_header_claims_4096_square_but_carries_112_square_is_truncated(SKColorType colorType)
    {
        var jpeg = JpegClaiming(4096, colorType);

        var error = Fails(new SkiaJpegDecoder(), jpeg);

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skia_alone_reports_that_jpeg_as_success()
    {
        Assert.Equal(SKCodecResult.Success, SkiaResult(JpegClaiming(4096, SKColorType.Gray8)));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void A_png_whose_header_claims_more_rows_than_its_zlib_stream_holds_is_truncated_naming_the_rows(int bitDepth)
    {
        // 112 rows of 112 grey pixels, filter None, under an IHDR of 112 x 4096: chunks and Adler-32 all valid.
        var stride = 1 + (112 * bitDepth / 8);
        var raw = new byte[112 * stride];
        var png = Assemble(Ihdr(112, 4096, bitDepth, 0), Chunk("IDAT", Zlib(raw)), Chunk("IEND", []));

        var error = Fails(new SkiaPngDecoder(), png);

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Equal(
            $"The PNG's image data is truncated: it inflates to {112 * stride} of the {4096 * stride} bytes its 112 x 4096 header requires, 112 of 4096 rows.",
            error.Message);
    }

    [Fact]
    public void A_png_cut_before_iend_is_truncated_and_a_bad_crc_stays_malformed()
    {
        var png = Png(40, 40, 8, 0, 1, Seeded(1600, 31));

        Assert.Equal(ImageDecodeError.Truncated, Fails(new SkiaPngDecoder(), png[..^20]).Error);
        png[^20] ^= 0x40;
        Assert.Equal(ImageDecodeError.Malformed, Fails(new SkiaPngDecoder(), png).Error);
    }

    [Fact]
    public void A_complete_jpeg_passes_the_scan_data_bound()
    {
        var jpeg = JpegClaiming(112, SKColorType.Rgba8888);

        Assert.Equal((3, 112, 112), Dimensions(new SkiaJpegDecoder().Decode(jpeg, DecodeOptions.Default, ImageLimits.Default)));
    }

    private static (int, int, int) Dimensions(ImageTensor image) => (image.Channels, image.Height, image.Width);
}
