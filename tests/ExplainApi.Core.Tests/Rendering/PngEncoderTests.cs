using System.Buffers.Binary;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class PngEncoderTests
{
    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // A smooth gradient plus noise, so different rows pick different filters.
    private static byte[] Image(int width, int height, int bytesPerPixel)
    {
        var noise = Noise(width * height * bytesPerPixel, 7);
        var bytes = new byte[noise.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var pixel = i / bytesPerPixel;
            bytes[i] = (pixel % width) % 3 == 0 ? noise[i] : (byte)((pixel % width * 5) + (pixel / width * 3) + (i % bytesPerPixel * 40));
        }

        return bytes;
    }

    [Theory]
    [InlineData(PngPixelFormat.Grey8, 1, 0, 8)]
    [InlineData(PngPixelFormat.Grey16, 2, 0, 16)]
    [InlineData(PngPixelFormat.Rgb8, 3, 2, 8)]
    [InlineData(PngPixelFormat.Rgba8, 4, 6, 8)]
    public void Every_format_decodes_back_to_the_same_samples(PngPixelFormat format, int bytesPerPixel, int colourType, int bitDepth)
    {
        var samples = Image(37, 23, bytesPerPixel);

        var png = PngTestReader.Read(PngEncoder.Encode(samples, 37, 23, format));

        Assert.Equal((37, 23, bitDepth, colourType), (png.Width, png.Height, png.BitDepth, png.ColourType));
        Assert.Equal(samples, png.Samples);
        Assert.Equal(["IHDR", "IDAT", "IEND"], png.Chunks);
    }

    [Fact]
    public void Grey16_keeps_every_level_big_endian()
    {
        ushort[] levels = [0, 1, 255, 256, 1000, 32768, 65534, 65535];

        var png = PngTestReader.Read(PngEncoder.EncodeGrey16(levels, 4, 2));

        Assert.Equal(16, png.BitDepth);
        var decoded = Enumerable.Range(0, 8).Select(i => BinaryPrimitives.ReadUInt16BigEndian(png.Samples.AsSpan(i * 2))).ToArray();
        Assert.Equal(levels, decoded);
    }

    [Fact]
    public void The_file_ends_with_the_well_known_IEND_chunk()
    {
        var png = PngEncoder.Encode([1, 2, 3], 1, 1, PngPixelFormat.Rgb8);

        // Every PNG ends with these 12 bytes: length 0, "IEND", CRC 0xAE426082.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [Fact]
    public void A_sample_count_that_does_not_match_the_size_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[5], 2, 2, PngPixelFormat.Grey8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 0, 2, PngPixelFormat.Grey8));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // The CRC-32/ISO-HDLC check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Compute("1234"u8, "56789"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_filter_is_undone_by_its_unfilter(int filter)
    {
        var previous = Noise(24, 1);
        var row = Noise(24, 2);
        var filtered = new byte[24];

        PngFilters.Filter(filter, row, previous, 3, filtered);
        PngFilters.Unfilter(filter, filtered, previous, 3);

        Assert.Equal(row, filtered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_filter_of_long_rows_matches_the_specification_predictors(int bytesPerPixel)
    {
        // Rows longer than a SIMD vector, of a length that leaves a tail: each filtered byte is checked against the
        // predictor of section 9.2/9.4 written out per byte, with and without a row above.
        var previous = Noise(203, 4);
        var row = Noise(203, 5);
        var filtered = new byte[203];
        foreach (var above in new[] { previous, [] })
        {
            for (var filter = PngFilters.None; filter <= PngFilters.Paeth; filter++)
            {
                PngFilters.Filter(filter, row, above, bytesPerPixel, filtered);
                for (var i = 0; i < row.Length; i++)
                {
                    int a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0, b = above.Length > 0 ? above[i] : 0;
                    var c = i >= bytesPerPixel && above.Length > 0 ? above[i - bytesPerPixel] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    var predictor = filter switch
                    {
                        PngFilters.Sub => a,
                        PngFilters.Up => b,
                        PngFilters.Average => (a + b) / 2,
                        PngFilters.Paeth => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                        _ => 0,
                    };
                    Assert.True((byte)(row[i] - predictor) == filtered[i], $"filter {filter}, byte {i}, row above: {above.Length > 0}");
                }
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4099)]
    public void The_filter_cost_sums_bytes_read_as_signed(int length)
    {
        // Long enough for several 128-vector blocks of 16-bit partial sums, with a tail.
        var bytes = Noise(length, 6);
        bytes[0] = 0x80;
        long expected = 0;
        foreach (var b in bytes)
        {
            expected += Math.Abs((int)(sbyte)b);
        }

        Assert.Equal(expected, PngFilters.Cost(bytes));
        Assert.Equal(128L * 4099, PngFilters.Cost(Enumerable.Repeat((byte)0x80, 4099).ToArray()));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 2)]
    public void Each_filter_of_a_first_row_is_undone_by_its_unfilter(int filter, int bytesPerPixel)
    {
        // The first row has no row above (it counts as zeros): the encoder's filters and the decoder's unfilters must agree on that.
        var row = Noise(24, 3);
        var filtered = new byte[24];

        PngFilters.Filter(filter, row, [], bytesPerPixel, filtered);
        PngFilters.Unfilter(filter, filtered, [], bytesPerPixel);

        Assert.Equal(row, filtered);
    }

    [Fact]
    public void Paeth_on_a_known_row_gives_hand_computed_bytes()
    {
        // bpp 1; previous = [10, 20], row = [15, 30]. Byte 0: a = 0, b = 10, c = 0 -> p = 10, b wins:
        // 15 - 10 = 5. Byte 1: a = 15, b = 20, c = 10 -> p = 25, |p-a| = 10, |p-b| = 5, |p-c| = 15: b, 30 - 20 = 10.
        var filtered = new byte[2];
        PngFilters.Filter(PngFilters.Paeth, [15, 30], [10, 20], 1, filtered);
        Assert.Equal(new byte[] { 5, 10 }, filtered);
    }
}
