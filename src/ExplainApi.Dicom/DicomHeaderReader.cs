namespace ExplainApi.Dicom;

/// <summary>
/// A managed structural pass over a DICOM Part 10 file, run before GDCM sees a byte. It walks every
/// element, sequence, item and fragment (PS3.5 7.1, 7.5, A.4), rejects any length that points outside
/// its container, and picks up the technical attributes of <see cref="DicomHeader"/>.
/// <para>
/// Why: GDCM 3.0 as Debian builds it allocates whatever an element length claims before reading it
/// (a 1 KB file can ask for 4 GB) and aborts the process on an assertion for some malformed headers.
/// Nothing malformed may reach it; GDCM is only ever given what this pass validated
/// (<see cref="PixelModuleFile"/>).
/// </para>
/// </summary>
internal static class DicomHeaderReader
{
    private const int MaxDepth = 16;

    public static DicomHeader Read(ReadOnlyMemory<byte> file, long maxBytes)
    {
        var (syntax, dataSet) = DicomFileMeta.Read(file, maxBytes);
        var header = new DicomHeader(syntax, dataSet);
        var cursor = new DicomElementCursor(dataSet.Span, 0, syntax.ExplicitVr, syntax.BigEndian);
        WalkDataSet(ref cursor, dataSet.Length, 0, header, untilItemDelimiter: false);
        return header;
    }

    private static void WalkDataSet(ref DicomElementCursor cursor, int end, int depth, DicomHeader? topLevel, bool untilItemDelimiter)
    {
        while (cursor.Position < end)
        {
            var element = cursor.Next(end);
            if (element.Tag == DicomElementCursor.ItemDelimitation && untilItemDelimiter)
            {
                return;
            }

            if (element.Tag >> 16 == 0xFFFE)
            {
                throw DicomElementCursor.Malformed($"Unexpected item or delimiter {DicomElement.Describe(element.Tag)} at byte {element.Start}.");
            }

            if (element.Tag == DicomTags.PixelData && element.IsUndefinedLength)
            {
                // Encapsulated Pixel Data, also found nested, e.g. in an Icon Image Sequence (0088,0200).
                if (cursor.ExplicitVr && element.Vr != DicomValues.OB && element.Vr != DicomValues.OW)
                {
                    throw DicomElementCursor.Malformed("Encapsulated Pixel Data is neither OB nor OW.");
                }

                var fragments = ReadFragments(ref cursor, end);
                if (topLevel is not null)
                {
                    topLevel.PixelData = PixelDataKind.Encapsulated;
                    topLevel.PixelDataValue = new ByteRange(element.ValueOffset, cursor.Position - element.ValueOffset);
                    topLevel.Fragments.AddRange(fragments);
                }

                continue;
            }

            if (element.IsUndefinedLength)
            {
                if (cursor.ExplicitVr && element.Vr != DicomElementCursor.SQ && element.Vr != DicomElementCursor.UN)
                {
                    throw DicomElementCursor.Malformed($"Element {DicomElement.Describe(element.Tag)} has an undefined length but is not a sequence.");
                }

                WalkSequence(ref cursor, element, end, depth + 1);
                continue;
            }

            var value = cursor.Buffer.Slice(element.ValueOffset, (int)element.Length);
            if (element.Vr == DicomElementCursor.SQ || (element.Tag != DicomTags.PixelData && (element.Vr == DicomElementCursor.UN || !cursor.ExplicitVr)
                && StartsWithItem(value, cursor.BigEndian && element.Vr != DicomElementCursor.UN)))
            {
                // Implicit VR (and UN) has no VR to say "sequence"; a value that opens with an Item tag is one.
                WalkSequence(ref cursor, element, element.End, depth + 1);
            }
            else if (topLevel is not null)
            {
                DicomValues.Capture(topLevel, element, value, cursor.BigEndian);
            }

            cursor.Position = element.End;
        }

        if (untilItemDelimiter)
        {
            throw DicomElementCursor.Malformed("An item of undefined length has no Item Delimitation Item (truncated file?).");
        }
    }

    private static void WalkSequence(ref DicomElementCursor cursor, DicomElement sequence, int end, int depth)
    {
        if (depth > MaxDepth)
        {
            throw DicomElementCursor.Malformed($"Sequences are nested deeper than {MaxDepth} levels.");
        }

        // PS3.5 6.2.2: a UN element holding a sequence is encoded in implicit VR little endian.
        var items = sequence.Vr == DicomElementCursor.UN
            ? new DicomElementCursor(cursor.Buffer, sequence.ValueOffset, explicitVr: false, bigEndian: false)
            : new DicomElementCursor(cursor.Buffer, sequence.ValueOffset, cursor.ExplicitVr, cursor.BigEndian);
        var definedEnd = sequence.IsUndefinedLength ? (int?)null : sequence.End;
        while (definedEnd is null || items.Position < definedEnd)
        {
            var item = items.Next(definedEnd ?? end);
            if (item.Tag == DicomElementCursor.SequenceDelimitation && definedEnd is null)
            {
                break;
            }

            if (item.Tag != DicomElementCursor.Item)
            {
                throw DicomElementCursor.Malformed($"Expected an Item in sequence {DicomElement.Describe(sequence.Tag)} at byte {item.Start}.");
            }

            if (item.IsUndefinedLength)
            {
                WalkDataSet(ref items, definedEnd ?? end, depth, null, untilItemDelimiter: true);
            }
            else
            {
                WalkDataSet(ref items, item.End, depth, null, untilItemDelimiter: false);
            }
        }

        cursor.Position = items.Position;
    }

    // PS3.5 A.4: Item (the Basic Offset Table first), one or more fragment Items, Sequence Delimitation.
    private static List<ByteRange> ReadFragments(ref DicomElementCursor cursor, int end)
    {
        var fragments = new List<ByteRange>();
        var offsetTable = true;
        while (true)
        {
            var item = cursor.Next(end);
            if (item.Tag == DicomElementCursor.SequenceDelimitation)
            {
                break;
            }

            if (item.Tag != DicomElementCursor.Item || item.IsUndefinedLength)
            {
                throw DicomElementCursor.Malformed($"Encapsulated Pixel Data has a malformed fragment at byte {item.Start}.");
            }

            if (!offsetTable)
            {
                fragments.Add(new ByteRange(item.ValueOffset, (int)item.Length));
            }

            offsetTable = false;
            cursor.Position = item.End;
        }

        return fragments.Count > 0 ? fragments : throw DicomElementCursor.Malformed("Encapsulated Pixel Data has no fragments.");
    }

    private static bool StartsWithItem(ReadOnlySpan<byte> value, bool bigEndian) =>
        value.Length >= 8 && value[..4].SequenceEqual(bigEndian ? [0xFF, 0xFE, 0xE0, 0x00] : [0xFE, 0xFF, 0x00, 0xE0]);
}
