using System.Buffers.Binary;
using System.IO.Compression;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

/// <summary>Reads back what <see cref="PngEncoder"/> writes (non-interlaced, 8/16-bit), checking every chunk's CRC.</summary>
internal sealed record DecodedPng(int Width, int Height, int BitDepth, int ColourType, byte[] Samples, IReadOnlyList<string> Chunks);

internal static class PngTestReader
{
    public static DecodedPng Read(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        var (width, height, depth, colour) = (0, 0, 0, 0);
        for (var pos = 8; pos < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var typeAndData = png.AsSpan(pos + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(crc, Crc32.Compute(typeAndData));
            var type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            var data = typeAndData[4..];
            chunks.Add(type);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                (depth, colour) = (data[8], data[9]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        var channels = colour switch { 0 => 1, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colour}") };
        var bpp = channels * depth / 8;
        var stride = width * bpp;
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(stride + 1) * height];
        zlib.ReadExactly(raw);
        Assert.Equal(0, zlib.Read(new byte[1]));
        var samples = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var row = samples.AsSpan(y * stride, stride);
            raw.AsSpan((y * (stride + 1)) + 1, stride).CopyTo(row);
            var previous = y == 0 ? ReadOnlySpan<byte>.Empty : samples.AsSpan((y - 1) * stride, stride);
            PngFilters.Unfilter(raw[y * (stride + 1)], row, previous, bpp);
        }

        return new DecodedPng(width, height, depth, colour, samples, chunks);
    }
}
