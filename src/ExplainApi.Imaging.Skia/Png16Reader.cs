using System.Buffers.Binary;
using System.IO.Compression;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Imaging.Skia;

/// <summary>
/// A managed reader for 16-bit PNGs. Skia cannot give us 16 bits: it strips 16-bit grey to 8 bits
/// in libpng and refuses SKColorType.Rgba16161616 as a decode target (InvalidConversion; RgbaF16
/// would round to an 11-bit mantissa). Checked with SkiaSharp 3.119.4 by
/// SixteenBitPngTests.Skia_itself_keeps_only_the_high_byte_which_is_why_we_read_16_bit_pngs_ourselves.
/// </summary>
internal static class Png16Reader
{
    /// <summary>
    /// Planar CHW levels 0..65535 of the grey (1 channel) or colour (3 channels) samples; alpha is
    /// dropped. Dimensions must already have been checked against the limits.
    /// </summary>
    public static float[] Decode(ReadOnlyMemory<byte> png, PngHeader header, int channels)
    {
        var (width, height) = ((int)header.Width, (int)header.Height);
        var result = new float[channels * width * height];
        try
        {
            using var zlib = new ZLibStream(PngImageData.Concatenate(png), CompressionMode.Decompress);
            foreach (var (x0, y0, dx, dy) in PngImageData.Passes(header))
            {
                var passWidth = (width - x0 + dx - 1) / dx;
                var passHeight = (height - y0 + dy - 1) / dy;
                if (passWidth > 0 && passHeight > 0)
                {
                    ReadPass(zlib, header, channels, passWidth, passHeight, (x, y) => ((y0 + (y * dy)) * width) + x0 + (x * dx), result);
                }
            }

            // One more read makes zlib reach the end of the stream and verify its Adler-32 checksum.
            // Extra data after the image is ignored, as libpng does.
            _ = zlib.Read(new byte[1]);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            PngImageData.ThrowIfTruncated(png, header);
            throw new ImageDecodeException(ImageDecodeError.Malformed, "The PNG's image data is corrupt or truncated.", e);
        }

        return result;
    }

    private static void ReadPass(Stream zlib, PngHeader header, int channels, int passWidth, int passHeight, Func<int, int, int> pixelIndex, float[] result)
    {
        var bytesPerPixel = header.SamplesPerPixel * 2;
        var stride = passWidth * bytesPerPixel;
        var line = new byte[1 + stride];
        var previous = new byte[stride];
        var plane = result.Length / channels;
        for (var y = 0; y < passHeight; y++)
        {
            zlib.ReadExactly(line);
            if (line[0] > PngFilters.Paeth)
            {
                throw new InvalidDataException($"Unknown PNG filter type {line[0]}.");
            }

            var row = line.AsSpan(1);
            PngFilters.Unfilter(line[0], row, y == 0 ? [] : previous, bytesPerPixel);
            for (var x = 0; x < passWidth; x++)
            {
                var index = pixelIndex(x, y);
                for (var c = 0; c < channels; c++)
                {
                    result[(c * plane) + index] = BinaryPrimitives.ReadUInt16BigEndian(row[((x * bytesPerPixel) + (2 * c))..]);
                }
            }

            row.CopyTo(previous);
        }
    }
}
