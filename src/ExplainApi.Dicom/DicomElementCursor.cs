using System.Buffers.Binary;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom;

/// <summary>The header of one data element (PS3.5 7.1): where it starts, its VR and where its value lies.</summary>
internal readonly record struct DicomElement(uint Tag, ushort Vr, uint Length, int Start, int ValueOffset)
{
    public const uint UndefinedLength = 0xFFFFFFFF;

    public bool IsUndefinedLength => Length == UndefinedLength;

    public int End => ValueOffset + (int)Length;

    public static string Describe(uint tag) => $"({tag >> 16:X4},{tag & 0xFFFF:X4})";
}

/// <summary>
/// Reads element headers from a byte span in one encoding (explicit or implicit VR, little or big
/// endian; PS3.5 7.1.2 and 7.1.3), checking that every header and every defined-length value lies
/// inside the enclosing container, so a lying length is caught here and never reaches GDCM.
/// </summary>
internal ref struct DicomElementCursor(ReadOnlySpan<byte> buffer, int position, bool explicitVr, bool bigEndian)
{
    public const uint Item = 0xFFFEE000;
    public const uint ItemDelimitation = 0xFFFEE00D;
    public const uint SequenceDelimitation = 0xFFFEE0DD;

    public static readonly ushort SQ = Vr("SQ");
    public static readonly ushort UN = Vr("UN");

    // PS3.5 Table 7.1-1: VRs with a reserved 2 bytes and a 32-bit length in explicit VR.
    private static readonly ushort[] LongVrs = [.. new[] { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" }.Select(Vr)];

    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; set; } = position;

    public bool ExplicitVr { get; } = explicitVr;

    public bool BigEndian { get; } = bigEndian;

    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    public static ushort Vr(string vr) => (ushort)((vr[0] << 8) | vr[1]);

    public readonly ushort ReadUInt16(int offset) => BigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(_buffer[offset..])
        : BinaryPrimitives.ReadUInt16LittleEndian(_buffer[offset..]);

    public readonly uint ReadUInt32(int offset) => BigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_buffer[offset..])
        : BinaryPrimitives.ReadUInt32LittleEndian(_buffer[offset..]);

    public readonly ushort? PeekGroup() => Position + 2 <= _buffer.Length ? ReadUInt16(Position) : null;

    /// <summary>Reads the next element header (not its value) from a container ending at <paramref name="end"/>.</summary>
    public DicomElement Next(int end)
    {
        var start = Position;
        Require(start, 8, end, "element header");
        var tag = ((uint)ReadUInt16(start) << 16) | ReadUInt16(start + 2);
        ushort vr = 0;
        uint length;
        int valueOffset;
        if ((tag >> 16) == 0xFFFE || !ExplicitVr)
        {
            // Items and delimiters carry no VR even in explicit VR syntaxes (PS3.5 7.5).
            length = ReadUInt32(start + 4);
            valueOffset = start + 8;
        }
        else
        {
            vr = (ushort)((_buffer[start + 4] << 8) | _buffer[start + 5]);
            if (!char.IsAsciiLetterUpper((char)_buffer[start + 4]) || !char.IsAsciiLetterUpper((char)_buffer[start + 5]))
            {
                throw Malformed($"Element {DicomElement.Describe(tag)} at byte {start} has no valid VR.");
            }

            if (Array.IndexOf(LongVrs, vr) >= 0)
            {
                Require(start, 12, end, "element header");
                length = ReadUInt32(start + 8);
                valueOffset = start + 12;
            }
            else
            {
                length = ReadUInt16(start + 6);
                valueOffset = start + 8;
            }
        }

        if (length != DicomElement.UndefinedLength && length > (uint)(end - valueOffset))
        {
            throw Malformed($"Element {DicomElement.Describe(tag)} at byte {start} declares {length} bytes but only {end - valueOffset} remain.");
        }

        Position = valueOffset;
        return new DicomElement(tag, vr, length, start, valueOffset);
    }

    public static ImageDecodeException Malformed(string message) => new(ImageDecodeError.Malformed, message);

    private readonly void Require(int start, int count, int end, string what)
    {
        if (count > end - start)
        {
            throw Malformed($"The DICOM data ends inside an {what} at byte {start} (truncated file?).");
        }
    }
}
