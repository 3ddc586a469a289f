using System.Buffers.Binary;
using System.IO.Compression;

namespace ExplainApi.Core.Rendering;

/// <summary>The PNG pixel layouts we write (PNG spec, ISO/IEC 15948:2003, table 11.1).</summary>
public enum PngPixelFormat
{
    Grey8,
    Grey16,
    Rgb8,
    Rgba8,
}

/// <summary>
/// A minimal PNG writer: signature, IHDR, one IDAT (zlib stream), IEND; no interlacing, no ancillary
/// chunks, so values are written as-is with no colour management. Managed because Core has no native
/// dependency, and because Skia has no 16-bit grey colour type to encode 16-bit grey maps from.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Encodes interleaved samples, row by row without padding; <see cref="PngPixelFormat.Grey16"/>
    /// samples are two bytes, big-endian (network order, as PNG stores them).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, PngPixelFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var (bitDepth, colourType, bytesPerPixel) = format switch
        {
            PngPixelFormat.Grey8 => (8, 0, 1),
            PngPixelFormat.Grey16 => (16, 0, 2),
            PngPixelFormat.Rgb8 => (8, 2, 3),
            PngPixelFormat.Rgba8 => (8, 6, 4),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        var stride = checked(width * bytesPerPixel);
        if (samples.Length != (long)stride * height)
        {
            throw new ArgumentException($"Expected {(long)stride * height} bytes for {width}x{height} {format}, got {samples.Length}.", nameof(samples));
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        // header[10..13]: compression 0 (deflate), filter method 0, interlace 0 (none).
        WriteChunk(output, "IHDR"u8, header);
        WriteChunk(output, "IDAT"u8, Compress(samples, stride, height, bytesPerPixel));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Encodes 16-bit grey levels, row-major.</summary>
    public static byte[] EncodeGrey16(ReadOnlySpan<ushort> levels, int width, int height)
    {
        var bytes = new byte[levels.Length * 2];
        for (var i = 0; i < levels.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), levels[i]);
        }

        return Encode(bytes, width, height, PngPixelFormat.Grey16);
    }

    private static byte[] Compress(ReadOnlySpan<byte> samples, int stride, int height, int bytesPerPixel)
    {
        // All rows filtered into one buffer, then one zlib write: per-row writes and copies cost more than the filtering.
        var filtered = new byte[(long)(stride + 1) * height];
        var candidate = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = samples.Slice(y * stride, stride);
            var previous = y == 0 ? ReadOnlySpan<byte>.Empty : samples.Slice((y - 1) * stride, stride);
            ChooseFilter(row, previous, bytesPerPixel, filtered.AsSpan(y * (stride + 1), stride + 1), candidate);
        }

        using var compressed = new MemoryStream(filtered.Length / 2 + 64);
        // Fastest: maps are encoded per request; zlib's default level cost twice as much for ~20 % smaller maps.
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(filtered);
        }

        return compressed.ToArray();
    }

    // PNG spec (ISO/IEC 15948:2003) section 12.8: try every filter on the row and keep the one whose
    // output, read as signed bytes, has the smallest sum of absolute values (libpng's heuristic).
    private static void ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> line, Span<byte> candidate)
    {
        var best = long.MaxValue;
        for (var filter = PngFilters.None; filter <= PngFilters.Paeth; filter++)
        {
            PngFilters.Filter(filter, row, previous, bytesPerPixel, candidate);
            var cost = PngFilters.Cost(candidate);
            if (cost < best)
            {
                best = cost;
                line[0] = (byte)filter;
                candidate.CopyTo(line[1..]);
            }
        }
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        // The CRC covers the chunk type and data, not the length (section 5.3).
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        output.Write(word);
    }
}
