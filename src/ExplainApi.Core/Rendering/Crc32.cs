namespace ExplainApi.Core.Rendering;

/// <summary>
/// CRC-32 as PNG requires (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320; PNG spec,
/// ISO/IEC 15948:2003, section 5.5 and annex D). System.IO.Hashing would provide it, but it is a package, not part of the
/// shared framework, and this table version is a dozen lines.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Extends a finished CRC with more data, so a chunk's type and data can be hashed separately.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        foreach (var b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
