using System.Buffers.Binary;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Reads the entry count a zip declares in its end-of-central-directory record (APPNOTE.TXT 4.3.16,
/// and the ZIP64 record 4.3.14 when the 16-bit count is saturated), so that an archive claiming
/// millions of entries is refused before ZipArchive builds an object per entry.
/// </summary>
public static class ZipEndRecord
{
    private const uint EndSignature = 0x06054b50, Zip64LocatorSignature = 0x07064b50, Zip64EndSignature = 0x06064b50;
    private const int EndLength = 22, Zip64LocatorLength = 20, MaxCommentLength = 65535;

    /// <summary>The declared number of entries, or null when no end record is found (not a zip).</summary>
    public static long? DeclaredEntryCount(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var tailLength = (int)Math.Min(stream.Length, EndLength + MaxCommentLength);
        var tail = new byte[tailLength];
        stream.Position = stream.Length - tailLength;
        stream.ReadExactly(tail);
        for (var at = tailLength - EndLength; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            var locatorAt = stream.Length - tailLength + at - Zip64LocatorLength;
            return Math.Max(count, Zip64Count(stream, locatorAt) ?? 0);
        }

        return null;
    }

    private static long? Zip64Count(Stream stream, long locatorAt)
    {
        if (locatorAt < 0)
        {
            return null;
        }

        Span<byte> locator = stackalloc byte[Zip64LocatorLength];
        stream.Position = locatorAt;
        stream.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var recordAt = BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]);
        Span<byte> record = stackalloc byte[40];
        if (recordAt > (ulong)(stream.Length - record.Length))
        {
            return null;
        }

        stream.Position = (long)recordAt;
        stream.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
        return count > long.MaxValue ? long.MaxValue : (long)count;
    }
}
