using System.Buffers.Binary;
using System.IO.Compression;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>Zips built in memory for the importer tests, including hostile ones crafted byte by byte.</summary>
internal static class TestArchives
{
    /// <summary>A w×h 8-bit grey PNG filled with <paramref name="level"/>, with a gradient so it is not uniform.</summary>
    public static byte[] GreyPng(int width, int height, byte level)
    {
        var samples = new byte[width * height];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (byte)Math.Min(255, level + (i % width));
        }

        return PngEncoder.Encode(samples, width, height, PngPixelFormat.Grey8);
    }

    public static byte[] RgbPng(int width, int height, byte r, byte g, byte b)
    {
        var samples = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            (samples[3 * i], samples[(3 * i) + 1], samples[(3 * i) + 2]) = (r, g, b);
        }

        return PngEncoder.Encode(samples, width, height, PngPixelFormat.Rgb8);
    }

    /// <summary>A binary mask PNG: 255 inside rows/columns [from, to), 0 elsewhere.</summary>
    public static byte[] MaskPng(int size, int from, int to)
    {
        var samples = new byte[size * size];
        for (var y = from; y < to; y++)
        {
            samples.AsSpan((y * size) + from, to - from).Fill(255);
        }

        return PngEncoder.Encode(samples, size, size, PngPixelFormat.Grey8);
    }

    public static byte[] Zip(params (string Name, byte[] Data)[] entries) => Zip(entries, configure: null);

    public static byte[] Zip((string Name, byte[] Data)[] entries, Action<ZipArchiveEntry>? configure, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var entry = archive.CreateEntry(name, level);
                configure?.Invoke(entry);
                using var stream = entry.Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Two classes of <paramref name="perClass"/> 8×8 PNGs in class folders.</summary>
    public static (string, byte[])[] TwoClasses(int perClass, string prefix = "") =>
    [
        .. Enumerable.Range(0, perClass).Select(i => ($"{prefix}normal/n{i}.png", GreyPng(8, 8, 10))),
        .. Enumerable.Range(0, perClass).Select(i => ($"{prefix}abnormal/a{i}.png", GreyPng(8, 8, 200))),
    ];

    /// <summary>
    /// Rewrites the uncompressed size of entry <paramref name="name"/> in its local header (size at
    /// offset 22, name at 30) and its central directory record (size at 24, name at 46) (APPNOTE.TXT
    /// 4.3.7, 4.3.12): a header that lies about what the data inflates to.
    /// </summary>
    public static byte[] WithDeclaredSize(byte[] zip, string name, uint size)
    {
        var patched = (byte[])zip.Clone();
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var count = 0;
        for (var at = 0; at + 46 + nameBytes.Length <= patched.Length; at++)
        {
            var (sizeAt, nameAt) = BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan(at)) switch
            {
                0x04034b50 => (22, 30),
                0x02014b50 => (24, 46),
                _ => (-1, -1),
            };
            if (sizeAt > 0 && patched.AsSpan(at + nameAt, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(at + sizeAt), size);
                count++;
            }
        }

        Assert.Equal(2, count);
        return patched;
    }
}
