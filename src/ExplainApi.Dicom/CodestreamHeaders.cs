using System.Buffers.Binary;

namespace ExplainApi.Dicom;

/// <summary>What a compressed frame's own header says about the image it holds.</summary>
internal readonly record struct CodestreamInfo(string Kind, int Width, int Height, int Components, int Precision, long Tiles = 1);

/// <summary>
/// Reads and checks the header of a compressed frame: JPEG and JPEG-LS markers up to the first scan
/// (ITU T.81 B.2, T.87 C.2), the JPEG 2000 SIZ marker segment (ISO/IEC 15444-1 A.5.1) and the RLE
/// header (PS3.5 G.5).
/// <para>
/// Why so strict: Debian builds GDCM 3.0 with assertions on. A JPEG whose header makes IJG raise any
/// warning (a stray byte before a marker, a JFIF major version other than 1, an unknown Adobe colour
/// transform) hits <c>assert(0)</c> in GDCM's JPEG codec and aborts the process; a J2K codestream whose
/// SIZ disagrees with Rows/Columns corrupts the heap. So nothing reaches GDCM that IJG would warn about
/// or that disagrees with the DICOM header.
/// </para>
/// </summary>
internal static class CodestreamHeaders
{
    /// <summary>Whether a fragment begins a codestream: SOI (FFD8) or SOC then SIZ (FF4F FF51).</summary>
    public static bool StartsCodestream(ReadOnlySpan<byte> b, PixelEncoding encoding) => encoding == PixelEncoding.Jpeg2000
        ? b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51])
        : b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]);

    /// <summary>Walks the markers of a JPEG or JPEG-LS frame from SOI to the first SOS and returns its SOF.</summary>
    public static CodestreamInfo Jpeg(ReadOnlySpan<byte> b, PixelEncoding encoding)
    {
        CodestreamInfo? frame = null;
        var adobeTransform = -1;
        var p = 2;
        while (true)
        {
            // IJG next_marker(): any byte other than 0xFF here is "extraneous data" (a warning).
            if (p >= b.Length || b[p] != 0xFF)
            {
                throw Malformed("JPEG", $"a marker was expected at byte {p}");
            }

            while (p < b.Length && b[p] == 0xFF)
            {
                p++; // fill bytes (T.81 B.1.1.2)
            }

            var marker = p < b.Length ? b[p++] : (byte)0;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // TEM and RSTn carry no length
            }

            if (marker is 0x00 or 0xD8 or 0xD9)
            {
                throw Malformed("JPEG", $"marker 0xFF{marker:X2} where a header marker is required");
            }

            if (p + 2 > b.Length || BinaryPrimitives.ReadUInt16BigEndian(b[p..]) is var length && (length < 2 || p + length > b.Length))
            {
                throw Malformed("JPEG", $"marker segment 0xFF{marker:X2} overruns the data");
            }

            var segment = b.Slice(p + 2, length - 2);
            if (marker == 0xDA)
            {
                // Start of scan: the header is complete (IJG stops jpeg_read_header here).
                var info = frame ?? throw Malformed("JPEG", "a scan starts before the frame header");
                return adobeTransform is -1 or 0 or 1 || info.Components != 3 ? info
                    : throw Malformed("JPEG", $"unknown Adobe colour transform {adobeTransform}");
            }

            if (marker is (>= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) or 0xF7)
            {
                // The DICOM JPEG syntaxes are baseline/extended sequential (SOF0/SOF1) and lossless
                // (SOF3) Huffman processes (PS3.5 A.4.1), JPEG-LS is SOF55. Progressive, arithmetic and
                // hierarchical streams are refused, which also rules out many-scan decoding bombs.
                var allowed = encoding == PixelEncoding.JpegLs ? marker == 0xF7 : marker is 0xC0 or 0xC1 or 0xC3;
                frame = !allowed ? throw Malformed("JPEG", $"frame type 0xFF{marker:X2} does not belong to this transfer syntax")
                    : frame is null ? FrameHeader(marker, segment) : throw Malformed("JPEG", "there are two frame headers");
            }
            else if (marker == 0xE0 && segment.Length >= 14 && segment.StartsWith("JFIF\0"u8) && segment[5] != 1)
            {
                throw Malformed("JPEG", $"JFIF version {segment[5]} is unknown"); // IJG JWRN_JFIF_MAJOR
            }
            else if (marker == 0xEE && segment.Length >= 12 && segment.StartsWith("Adobe"u8))
            {
                adobeTransform = segment[11];
            }
            else if (marker is not (0xC4 or 0xCC or 0xDB or 0xDD or 0xFE or 0xF8 or (>= 0xE0 and <= 0xEF)))
            {
                throw Malformed("JPEG", $"marker 0xFF{marker:X2} is not allowed in a frame header");
            }

            p += length;
        }
    }

    /// <summary>The SIZ of a JPEG 2000 codestream (after <see cref="StartsCodestream"/> said it starts one).</summary>
    public static CodestreamInfo Jpeg2000(ReadOnlySpan<byte> b)
    {
        // SIZ: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz, then
        // Ssiz/XRsiz/YRsiz for each component.
        var siz = b.Length >= 42 ? b[4..] : throw Malformed("JPEG 2000", "the SIZ marker segment is truncated");
        int lsiz = BinaryPrimitives.ReadUInt16BigEndian(siz), components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        var (x, y, x0, y0) = (U32(siz, 4), U32(siz, 8), U32(siz, 12), U32(siz, 16));
        var (tileW, tileH, tileX0, tileY0) = (U32(siz, 20), U32(siz, 24), U32(siz, 28), U32(siz, 32));
        if (lsiz != 38 + (3 * components) || siz.Length < lsiz || components == 0 || x <= x0 || y <= y0
            || tileW == 0 || tileH == 0 || tileX0 > x0 || tileY0 > y0 || (long)tileX0 + tileW <= x0 || (long)tileY0 + tileH <= y0)
        {
            throw Malformed("JPEG 2000", "the SIZ marker segment is inconsistent");
        }

        var precision = 0;
        for (var c = 0; c < components; c++)
        {
            var component = siz.Slice(38 + (3 * c), 3);
            if (component[1] != 1 || component[2] != 1)
            {
                throw Malformed("JPEG 2000", "components are subsampled, which DICOM images do not use");
            }

            precision = Math.Max(precision, (component[0] & 0x7F) + 1);
        }

        var tiles = ((x - tileX0 + tileW - 1) / tileW) * (long)((y - tileY0 + tileH - 1) / tileH);
        return new CodestreamInfo("JPEG 2000", (int)Math.Min(x - x0, int.MaxValue), (int)Math.Min(y - y0, int.MaxValue), components, precision, tiles);
    }

    /// <summary>Checks the 64-byte RLE header of one frame (PS3.5 G.5): segment count and offsets.</summary>
    public static void Rle(ReadOnlySpan<byte> b, PixelLayout layout)
    {
        if (b.Length < 64)
        {
            throw Malformed("RLE", "the fragment is shorter than the RLE header");
        }

        // PS3.5 G.2: one segment per byte of each sample, most significant byte first.
        var segments = BinaryPrimitives.ReadUInt32LittleEndian(b);
        if (segments != layout.SamplesPerPixel * layout.BytesPerSample)
        {
            throw Malformed("RLE", $"the header lists {segments} segments, the pixel format needs {layout.SamplesPerPixel * layout.BytesPerSample}");
        }

        var previous = 0u;
        for (var i = 0; i < segments; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(b[(4 + (4 * i))..]);
            if ((i == 0 && offset != 64) || (i > 0 && offset <= previous) || offset >= b.Length)
            {
                throw Malformed("RLE", $"segment {i} starts at an invalid offset");
            }

            previous = offset;
        }
    }

    // T.81 B.2.2 (and T.87 C.2.2 for SOF55): P, Y, X, Nf, then Nf component specifications.
    // P is 8 or 12 for the DCT processes and 2..16 for lossless JPEG and JPEG-LS; GDCM asserts on others.
    private static CodestreamInfo FrameHeader(byte marker, ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6 || segment.Length != 6 + (3 * segment[5]))
        {
            throw Malformed("JPEG", "the frame header has the wrong length");
        }

        var precision = segment[0];
        var lossless = marker is 0xC3 or 0xF7;
        if (lossless ? precision is < 2 or > 16 : precision is not (8 or 12))
        {
            throw Malformed("JPEG", $"{precision}-bit samples are not allowed in this JPEG process");
        }

        return new CodestreamInfo(marker == 0xF7 ? "JPEG-LS" : "JPEG", BinaryPrimitives.ReadUInt16BigEndian(segment[3..]),
            BinaryPrimitives.ReadUInt16BigEndian(segment[1..]), segment[5], precision);
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32BigEndian(b[offset..]);

    private static Core.Imaging.ImageDecodeException Malformed(string kind, string detail) =>
        DicomElementCursor.Malformed($"The {kind} stream in the Pixel Data is corrupt: {detail}.");
}
