using System.Buffers.Binary;
using System.IO.Compression;
using ExplainApi.Core.Rendering;
using SkiaSharp;

namespace ExplainApi.Imaging.Skia.Tests;

/// <summary>Real PNG and JPEG files made at test time: Skia's own encoders, or PNGs assembled chunk by chunk.</summary>
internal static class TestImages
{
    public static byte[] Seeded(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Encodes interleaved 8-bit pixels of <paramref name="colorType"/> with Skia's encoder.</summary>
    public static byte[] SkiaEncode(byte[] pixels, int width, int height, SKColorType colorType, SKAlphaType alphaType, SKEncodedImageFormat format, int quality = 100)
    {
        var info = new SKImageInfo(width, height, colorType, alphaType);
        using var bitmap = new SKBitmap(info);
        pixels.CopyTo(bitmap.GetPixelSpan());
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, quality);
        return encoded.ToArray();
    }

    /// <summary>A smooth 8-bit gradient, which JPEG reproduces closely.</summary>
    public static byte[] Gradient(int width, int height, int channels) =>
        [.. Enumerable.Range(0, width * height * channels).Select(i => (byte)(40 + (i / channels % width * 3) + (i / channels / width * 2) + (i % channels * 30)))];

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(long width, long height, int bitDepth, int colourType, bool interlaced = false)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        (ihdr[8], ihdr[9], ihdr[12]) = ((byte)bitDepth, (byte)colourType, (byte)(interlaced ? 1 : 0));
        return Chunk("IHDR", ihdr);
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return compressed.ToArray();
    }

    /// <summary>
    /// A PNG of any colour type and depth >= 8 from packed rows (<paramref name="bytesPerPixel"/>
    /// bytes a pixel), filter None, optionally Adam7-interlaced, with an optional PLTE.
    /// </summary>
    public static byte[] Png(int width, int height, int bitDepth, int colourType, int bytesPerPixel, byte[] pixels, bool interlaced = false, byte[]? palette = null)
    {
        (int, int, int, int)[] passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        using var raw = new MemoryStream();
        foreach (var (x0, y0, dx, dy) in passes)
        {
            for (var y = y0; y < height && x0 < width; y += dy)
            {
                raw.WriteByte(0);
                for (var x = x0; x < width; x += dx)
                {
                    raw.Write(pixels, ((y * width) + x) * bytesPerPixel, bytesPerPixel);
                }
            }
        }

        return Assemble(Ihdr(width, height, bitDepth, colourType, interlaced), palette is null ? [] : Chunk("PLTE", palette), Chunk("IDAT", Zlib(raw.ToArray())), Chunk("IEND", []));
    }

    public static byte[] Assemble(params byte[][] chunks) => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. chunks.SelectMany(c => c)];

    /// <summary>The 16-bit big-endian bytes of <paramref name="levels"/>.</summary>
    public static byte[] BigEndian(ushort[] levels)
    {
        var bytes = new byte[levels.Length * 2];
        for (var i = 0; i < levels.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), levels[i]);
        }

        return bytes;
    }

    public static ushort[] Levels16(int count, int seed) => [.. Seeded(count * 2, seed).Chunk(2).Select(b => (ushort)((b[0] << 8) | b[1]))];

    /// <summary>Every <paramref name="stride"/>-th value from <paramref name="offset"/>: one channel of interleaved data.</summary>
    public static float[] Channel<T>(T[] interleaved, int offset, int stride) where T : IConvertible =>
        [.. interleaved.Where((_, i) => i % stride == offset).Select(v => Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture))];
}
