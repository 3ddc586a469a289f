using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ExplainApi.Dicom;

/// <summary>
/// Writes the Part 10 file GDCM actually reads: a minimal File Meta Information (PS3.10 7.1), the Image
/// Pixel Module re-encoded from the validated <see cref="PixelLayout"/>, and the stored Pixel Data value
/// byte for byte. Nothing else.
/// <para>
/// Why: GDCM asserts (aborting the process) on many inconsistencies, such as an attribute with an
/// unexpected VR, and it would size overlay buffers from their own unchecked Rows/Columns. Given only
/// freshly encoded, validated attributes it never meets them; and it never sees a patient attribute, so
/// none can surface in its messages. A deflated data set is handed over inflated, as Explicit VR Little
/// Endian, which it then is.
/// </para>
/// </summary>
internal static class PixelModuleFile
{
    public static void Write(Stream stream, DicomHeader header, PixelLayout layout)
    {
        var syntax = header.Syntax;
        WriteMeta(stream, syntax.Deflated ? DicomTransferSyntax.ExplicitVrLittleEndianUid : syntax.Uid);

        var (explicitVr, bigEndian) = (syntax.ExplicitVr, syntax.BigEndian);
        void Us(ushort element, int value)
        {
            Span<byte> bytes = stackalloc byte[2];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
            }

            WriteElement(stream, explicitVr, bigEndian, 0x0028, element, "US", bytes);
        }

        // PS3.3 C.7.6.3 and C.7.6.6, in ascending tag order (PS3.5 7.1).
        Us(0x0002, layout.SamplesPerPixel);
        WriteElement(stream, explicitVr, bigEndian, 0x0028, 0x0004, "CS", Padded(layout.Photometric, (byte)' '));
        if (layout.SamplesPerPixel == 3)
        {
            Us(0x0006, layout.PlanarConfiguration);
        }

        if (header.NumberOfFrames is not null)
        {
            WriteElement(stream, explicitVr, bigEndian, 0x0028, 0x0008, "IS", Padded(layout.Frames.ToString(CultureInfo.InvariantCulture), (byte)' '));
        }

        Us(0x0010, layout.Rows);
        Us(0x0011, layout.Columns);
        // Native samples are copied as whole words and masked by DicomPixelConverter; telling GDCM all
        // bits are stored keeps it off its overlay clean-up and the 8-bit assertion in ImageCodec.
        var native = header.PixelData == PixelDataKind.Native;
        Us(0x0100, layout.BitsAllocated);
        Us(0x0101, native ? layout.BitsAllocated : layout.BitsStored);
        Us(0x0102, native ? layout.BitsAllocated - 1 : layout.HighBit);
        Us(0x0103, layout.Signed ? 1 : 0);

        // PS3.5 A.4: encapsulated Pixel Data is OB with undefined length; native keeps its VR (with big
        // endian, OW tells GDCM to swap 16-bit words).
        var value = header.DataSet.Span.Slice(header.PixelDataValue.Offset, header.PixelDataValue.Length);
        var encapsulated = !native;
        var vr = encapsulated || header.PixelDataVr == DicomValues.OB ? "OB" : "OW";
        WriteHeader(stream, explicitVr, bigEndian, 0x7FE0, 0x0010, vr, encapsulated ? DicomElement.UndefinedLength : (uint)value.Length);
        stream.Write(value);
        stream.Flush();
    }

    // Always explicit VR little endian: group length, version 00\01, transfer syntax.
    private static void WriteMeta(Stream stream, string transferSyntax)
    {
        var uid = Padded(transferSyntax, 0);
        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        Span<byte> groupLength = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)(12 + 2 + 8 + uid.Length));
        WriteElement(stream, true, false, 0x0002, 0x0000, "UL", groupLength);
        WriteElement(stream, true, false, 0x0002, 0x0001, "OB", [0x00, 0x01]);
        WriteElement(stream, true, false, 0x0002, 0x0010, "UI", uid);
    }

    // PS3.5 6.2: values have even length, text padded with a space (UI with NUL).
    private static byte[] Padded(string text, byte pad)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, pad];
    }

    private static void WriteElement(Stream stream, bool explicitVr, bool bigEndian, ushort group, ushort element, string vr, ReadOnlySpan<byte> value)
    {
        WriteHeader(stream, explicitVr, bigEndian, group, element, vr, (uint)value.Length);
        stream.Write(value);
    }

    // PS3.5 7.1.2 (explicit VR: 16-bit length, or reserved bytes and a 32-bit length for OB/OW)
    // and 7.1.3 (implicit VR: 32-bit length).
    private static void WriteHeader(Stream stream, bool explicitVr, bool bigEndian, ushort group, ushort element, string vr, uint length)
    {
        Span<byte> head = stackalloc byte[12];
        var longForm = explicitVr && vr is "OB" or "OW";
        Write16(head, group, bigEndian);
        Write16(head[2..], element, bigEndian);
        if (!explicitVr)
        {
            Write32(head[4..], length, bigEndian);
            stream.Write(head[..8]);
            return;
        }

        head[4] = (byte)vr[0];
        head[5] = (byte)vr[1];
        if (longForm)
        {
            head[6] = head[7] = 0;
            Write32(head[8..], length, bigEndian);
            stream.Write(head);
        }
        else
        {
            Write16(head[6..], (ushort)length, bigEndian);
            stream.Write(head[..8]);
        }
    }

    private static void Write16(Span<byte> b, ushort v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }
    }

    private static void Write32(Span<byte> b, uint v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }
    }
}
