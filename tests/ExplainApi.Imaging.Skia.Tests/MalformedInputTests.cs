using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using SkiaSharp;
using static ExplainApi.Imaging.Skia.Tests.TestImages;

namespace ExplainApi.Imaging.Skia.Tests;

public class MalformedInputTests
{
    private static readonly IImageDecoder Png = new SkiaPngDecoder();
    private static readonly IImageDecoder Jpeg = new SkiaJpegDecoder();

    private static ImageDecodeError ErrorOf(IImageDecoder decoder, byte[] data, ImageLimits? limits = null) =>
        Assert.Throws<ImageDecodeException>(() => decoder.Decode(data, DecodeOptions.Default, limits ?? ImageLimits.Default)).Error;

    private static byte[] Png8() => PngEncoder.Encode(Seeded(40 * 40, 21), 40, 40, PngPixelFormat.Grey8);

    private static byte[] Png16() => PngEncoder.EncodeGrey16(Levels16(40 * 40, 22), 40, 40);

    private static byte[] JpegFile() =>
        SkiaEncode(Gradient(64, 64, 1), 64, 64, SKColorType.Gray8, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg);

    private static SKCodecResult SkiaResult(byte[] data, int width, int height)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(data));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
        return codec.GetPixels(info, new byte[info.BytesSize64]);
    }

    // Offset of the first byte of IDAT data: signature 8 + IHDR 25 + length and type 8.
    private const int IdatData = 8 + 25 + 8;

    public static TheoryData<bool> BothDepths => [false, true];

    [Theory]
    [MemberData(nameof(BothDepths))]
    public void A_png_cut_in_the_middle_of_idat_is_truncated(bool sixteenBit)
    {
        var cut = (sixteenBit ? Png16() : Png8())[..(IdatData + 200)];

        Assert.Equal(ImageDecodeError.Truncated, ErrorOf(Png, cut));
        // Skia alone would call this IncompleteInput and zero-fill the missing rows.
        Assert.Equal(SKCodecResult.IncompleteInput, SkiaResult(cut, 40, 40));
    }

    [Theory]
    [MemberData(nameof(BothDepths))]
    public void Flipped_bytes_in_idat_fail_the_crc(bool sixteenBit)
    {
        var png = sixteenBit ? Png16() : Png8();
        png[IdatData + 50] ^= 0xFF;
        png[IdatData + 51] ^= 0x5A;

        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, png));
    }

    [Theory]
    [MemberData(nameof(BothDepths))]
    public void A_complete_file_whose_zlib_stream_stops_half_way_is_truncated_not_zero_filled(bool sixteenBit)
    {
        // Valid chunks and CRCs around half a zlib stream (Skia: ErrorInInput, rows left unwritten).
        var raw = new byte[40 * (1 + (40 * (sixteenBit ? 2 : 1)))];
        Seeded(raw.Length, 23).CopyTo(raw, 0);
        for (var y = 0; y < 40; y++)
        {
            raw[y * raw.Length / 40] = 0;
        }

        var zlib = Zlib(raw);
        var png = Assemble(Ihdr(40, 40, sixteenBit ? 16 : 8, 0), Chunk("IDAT", zlib.AsSpan(0, zlib.Length / 2)), Chunk("IEND", []));

        Assert.Equal(ImageDecodeError.Truncated, ErrorOf(Png, png));
    }

    [Theory]
    [MemberData(nameof(BothDepths))]
    public void A_corrupt_deflate_stream_with_valid_crcs_is_malformed(bool sixteenBit)
    {
        // zlib header 78 9C, then 0xFF: a final block of the reserved type 3 (RFC 1951, 3.2.3).
        var png = Assemble(Ihdr(4, 4, sixteenBit ? 16 : 8, 0), Chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0x00, 0x01]), Chunk("IEND", []));

        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, png));
    }

    [Fact]
    public void A_wrong_adler32_in_a_16_bit_png_is_malformed()
    {
        var zlib = Zlib(new byte[1 + (4 * 2)]);
        zlib[^1] ^= 1;
        var png = Assemble(Ihdr(4, 1, 16, 0), Chunk("IDAT", zlib), Chunk("IEND", []));

        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, png));
    }

    [Fact]
    public void An_unknown_filter_type_in_a_16_bit_png_is_malformed()
    {
        var png = Assemble(Ihdr(1, 1, 16, 0), Chunk("IDAT", Zlib([9, 1, 2])), Chunk("IEND", []));

        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, png));
    }

    [Fact]
    public void Random_bytes_after_a_png_signature_are_malformed()
    {
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, Assemble(Seeded(500, 24))));
    }

    [Theory]
    [InlineData(16, 3)] // palette PNGs are at most 8-bit
    [InlineData(8, 1)] // colour type 1 does not exist
    [InlineData(4, 2)] // RGB is 8 or 16-bit
    public void An_invalid_header_is_malformed(int bitDepth, int colourType)
    {
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, Assemble(Ihdr(4, 4, bitDepth, colourType), Chunk("IEND", []))));
    }

    [Fact]
    public void A_header_declaring_100000_by_10_is_too_large_before_any_data_is_read()
    {
        // No IDAT at all: decoding would have been malformed, so TooLarge proves the header came first.
        var png = Assemble(Ihdr(100000, 10, 8, 0), Chunk("IEND", []));

        Assert.Equal(ImageDecodeError.TooLarge, ErrorOf(Png, png));
        Assert.Equal(ImageDecodeError.TooLarge, ErrorOf(Png, Assemble(Ihdr(3000, 3000, 16, 0), Chunk("IEND", [])),
            ImageLimits.Default with { MaxPixels = 1_000_000 }));
    }

    [Fact]
    public void Zero_dimensions_are_malformed()
    {
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, Assemble(Ihdr(0, 10, 8, 0), Chunk("IEND", []))));
    }

    [Fact]
    public void More_bytes_than_max_bytes_is_too_large_before_parsing()
    {
        var limits = ImageLimits.Default with { MaxBytes = 100 };

        Assert.Equal(ImageDecodeError.TooLarge, ErrorOf(Png, Png8(), limits));
        Assert.Equal(ImageDecodeError.TooLarge, ErrorOf(Jpeg, JpegFile(), limits));
        Assert.Equal(ImageDecodeError.TooLarge, ErrorOf(Png, Seeded(101, 25), limits));
    }

    [Fact]
    public void A_truncated_jpeg_is_truncated_and_one_cut_inside_its_header_malformed()
    {
        var jpeg = JpegFile();

        Assert.Equal(ImageDecodeError.Truncated, ErrorOf(Jpeg, jpeg[..(jpeg.Length * 2 / 3)]));
        Assert.Equal(SKCodecResult.IncompleteInput, SkiaResult(jpeg[..(jpeg.Length * 2 / 3)], 64, 64));
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Jpeg, jpeg[..40]));
    }

    [Fact]
    public void Data_of_the_wrong_kind_or_none_is_malformed()
    {
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Jpeg, Png8()));
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, JpegFile()));
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Jpeg, [0xFF, 0xD8, 0xFF, .. Seeded(500, 26)]));
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Png, []));
        Assert.Equal(ImageDecodeError.Malformed, ErrorOf(Jpeg, []));
    }
}
