namespace ExplainApi.Dicom;

/// <summary>
/// Checks that the stored pixel data can hold the image the header describes, before it is decoded:
/// native data must be long enough (PS3.5 8.1.1); compressed data must hold one codestream per frame,
/// each with a header that agrees with Rows, Columns and Samples per Pixel and each ending with its
/// EOI/EOC marker (see <see cref="CodestreamHeaders"/> for why this matters with GDCM).
/// </summary>
internal static class PixelDataCheck
{
    // ISO/IEC 15444-1 A.4.2: a tile index (Isot) is 16 bits.
    private const long MaxTiles = 65535;

    // A frame header split over fragments is read from at most this many of its first bytes.
    private const int MaxHeaderBytes = 1 << 20;

    public static void Validate(DicomHeader header, PixelLayout layout)
    {
        if (header.PixelData == PixelDataKind.Native)
        {
            var expected = layout.StoredFrameBytes * layout.Frames;
            if (header.NativeLength < expected)
            {
                throw DicomElementCursor.Malformed(
                    $"Pixel Data holds {header.NativeLength} bytes but {layout.Frames} frame(s) of {layout.Columns}x{layout.Rows} need {expected} (truncated?).");
            }

            return;
        }

        var data = header.DataSet.Span;
        var encoding = header.Syntax.Pixels;
        if (encoding == PixelEncoding.Rle)
        {
            // PS3.5 A.4.2: each RLE frame is exactly one fragment.
            Require(header.Fragments.Count == layout.Frames, $"Pixel Data has {header.Fragments.Count} RLE fragment(s) for {layout.Frames} frame(s).");
            foreach (var fragment in header.Fragments)
            {
                CodestreamHeaders.Rle(data.Slice(fragment.Offset, fragment.Length), layout);
            }

            return;
        }

        // PS3.5 A.4: a frame starts a new fragment and may continue over more; entropy-coded data never
        // contains SOI/SOC, so each fragment that starts a codestream starts a frame.
        var frames = new List<(int First, int Count)>();
        for (var i = 0; i < header.Fragments.Count; i++)
        {
            if (CodestreamHeaders.StartsCodestream(data.Slice(header.Fragments[i].Offset, header.Fragments[i].Length), encoding))
            {
                frames.Add((i, 1));
            }
            else
            {
                Require(frames.Count > 0, $"The first fragment does not start a {header.Syntax.Name} codestream.");
                frames[^1] = (frames[^1].First, frames[^1].Count + 1);
            }
        }

        Require(frames.Count == layout.Frames, $"Pixel Data holds {frames.Count} codestream(s) for {layout.Frames} frame(s).");
        foreach (var (first, count) in frames)
        {
            var fragments = header.Fragments.GetRange(first, count);
            var head = Concatenate(data, fragments, MaxHeaderBytes, fromEnd: false);
            Compare(encoding == PixelEncoding.Jpeg2000 ? CodestreamHeaders.Jpeg2000(head) : CodestreamHeaders.Jpeg(head, encoding), layout);

            // GDCM's JPEG-LS codec asserts when no 0xD9 byte ends the stream; IJG and OpenJPEG only warn.
            // Trailing 0x00/0xFF padding (fragments have even lengths) is allowed.
            var tail = Concatenate(data, fragments, 64, fromEnd: true).TrimEnd((ReadOnlySpan<byte>)[0x00, 0xFF]);
            Require(tail.Length >= 2 && tail[^2] == 0xFF && tail[^1] == 0xD9,
                $"A {header.Syntax.Name} codestream does not end with its end marker (FFD9): truncated or corrupt.");
        }
    }

    private static void Compare(CodestreamInfo info, PixelLayout layout)
    {
        Require(info.Width == layout.Columns && info.Height == layout.Rows && info.Components == layout.SamplesPerPixel,
            $"The {info.Kind} codestream holds {info.Width}x{info.Height}x{info.Components} but the DICOM header says {layout.Columns}x{layout.Rows}x{layout.SamplesPerPixel}.");
        // The codecs hand out samples of 1, 2 or 4 bytes by their own precision, and GDCM asserts when
        // that is not the frame size it expects from Bits Allocated.
        var sampleBits = info.Precision <= 8 ? 8 : info.Precision <= 16 ? 16 : 32;
        Require(info.Precision >= 1 && sampleBits == layout.BitsAllocated,
            $"The {info.Kind} codestream has {info.Precision}-bit samples for Bits Allocated {layout.BitsAllocated}.");
        Require(info.Tiles <= MaxTiles, $"The {info.Kind} codestream has {info.Tiles} tiles.");
    }

    // The first (or last) bytes of a frame spread over fragments; no copy when one fragment suffices.
    private static ReadOnlySpan<byte> Concatenate(ReadOnlySpan<byte> data, List<ByteRange> fragments, int max, bool fromEnd)
    {
        var edge = fromEnd ? fragments[^1] : fragments[0];
        if (fragments.Count == 1 || edge.Length >= max)
        {
            var take = Math.Min(edge.Length, max);
            return data.Slice(fromEnd ? edge.Offset + edge.Length - take : edge.Offset, take);
        }

        var total = (int)Math.Min(max, fragments.Sum(f => (long)f.Length));
        var bytes = new byte[total];
        var filled = 0;
        for (var i = 0; i < fragments.Count && filled < total; i++)
        {
            var fragment = fromEnd ? fragments[^(i + 1)] : fragments[i];
            var take = Math.Min(fragment.Length, total - filled);
            if (fromEnd)
            {
                data.Slice(fragment.Offset + fragment.Length - take, take).CopyTo(bytes.AsSpan(total - filled - take));
            }
            else
            {
                data.Slice(fragment.Offset, take).CopyTo(bytes.AsSpan(filled));
            }

            filled += take;
        }

        return bytes;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw DicomElementCursor.Malformed(message);
        }
    }
}
