using System.IO.Compression;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom;

/// <summary>
/// The Part 10 wrapper (PS3.10 7.1): 128-byte preamble, "DICM", File Meta Information (group 0002,
/// always explicit VR little endian), then the data set in the transfer syntax the meta names.
/// </summary>
internal static class DicomFileMeta
{
    /// <summary>The transfer syntax and the data set bytes (inflated for the deflated syntax).</summary>
    public static (DicomTransferSyntax Syntax, ReadOnlyMemory<byte> DataSet) Read(ReadOnlyMemory<byte> file, long maxBytes)
    {
        var span = file.Span;
        if (span.Length < 132 || !span.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            throw DicomElementCursor.Malformed("The data is not a DICOM Part 10 file (no \"DICM\" prefix at byte 128, PS3.10 7.1).");
        }

        var meta = new DicomElementCursor(span, 132, explicitVr: true, bigEndian: false);
        string? uid = null;
        while (meta.PeekGroup() == 0x0002)
        {
            var element = meta.Next(span.Length);
            if (element.IsUndefinedLength)
            {
                throw DicomElementCursor.Malformed("A File Meta Information element has an undefined length.");
            }

            if (element.Tag == DicomTags.TransferSyntaxUid)
            {
                uid = DicomValues.Text(span.Slice(element.ValueOffset, (int)element.Length));
            }

            meta.Position = element.End;
        }

        if (string.IsNullOrEmpty(uid))
        {
            throw DicomElementCursor.Malformed("The File Meta Information has no Transfer Syntax UID (0002,0010).");
        }

        var syntax = DicomTransferSyntax.Find(uid) ?? throw new ImageDecodeException(ImageDecodeError.Unsupported,
            $"Transfer syntax {DicomValues.Printable(uid)} is not one this service decodes.");
        var dataSet = file[meta.Position..];
        return (syntax, syntax.Deflated ? Inflate(dataSet, maxBytes) : dataSet);
    }

    // PS3.5 A.5: the data set is a raw deflate stream. Inflating stops at maxBytes so that a small
    // deflate bomb cannot expand without bound.
    private static ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> compressed, long maxBytes)
    {
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(compressed.ToArray(), writable: false), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = deflate.Read(chunk)) > 0)
            {
                if (inflated.Length + read > maxBytes)
                {
                    throw new ImageDecodeException(ImageDecodeError.TooLarge, $"The deflated data set inflates beyond the {maxBytes}-byte limit.");
                }

                inflated.Write(chunk, 0, read);
            }

            return inflated.GetBuffer().AsMemory(0, (int)inflated.Length);
        }
        catch (InvalidDataException e)
        {
            throw new ImageDecodeException(ImageDecodeError.Malformed, "The deflated data set is corrupt.", e);
        }
    }
}
