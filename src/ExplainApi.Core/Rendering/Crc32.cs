namespace ExplainApi.Core.Rendering;

/// <summary>
/// CRC-32 as PNG, zip and our checkpoints require (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320; PNG spec,
/// ISO/IEC 15948:2003, section 5.5 and annex D), by System.IO.Hashing's folded loop: a byte-table loop cost ~65 µs of
/// every 112² map PNG answered (issue 11).
/// </summary>
public static class Crc32
{
    /// <summary>The CRC of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);

    /// <summary>The CRC of <paramref name="first"/> followed by <paramref name="second"/> (a PNG chunk's type and data) without joining them.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(first);
        crc.Append(second);
        return crc.GetCurrentHashAsUInt32();
    }
}
