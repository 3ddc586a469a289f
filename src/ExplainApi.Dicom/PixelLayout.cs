using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom;

internal enum ColorModel
{
    Monochrome1,
    Monochrome2,
    Rgb,

    /// <summary>YBR_FULL, or YBR_FULL_422 once decoded (GDCM upsamples it): PS3.3 C.7.6.3.1.2.</summary>
    Ybr,
}

/// <summary>
/// The pixel format of an image, checked for consistency (PS3.3 C.7.6.3 Image Pixel Module, PS3.5 8)
/// and for support before anything is decoded.
/// </summary>
internal sealed record PixelLayout(
    int Rows, int Columns, int Frames, int SamplesPerPixel, int BitsAllocated, int BitsStored, int HighBit,
    bool Signed, int PlanarConfiguration, string Photometric, ColorModel Color)
{
    public int BytesPerSample => BitsAllocated / 8;

    public int Channels => SamplesPerPixel;

    /// <summary>Bytes of one frame as GDCM hands it out: every pixel with all its samples.</summary>
    public long DecodedFrameBytes => (long)Rows * Columns * SamplesPerPixel * BytesPerSample;

    /// <summary>Bytes of one native frame: YBR_FULL_422 stores two samples per pixel (PS3.3 C.7.6.3.1.2).</summary>
    public long StoredFrameBytes => Photometric == "YBR_FULL_422" ? (long)Rows * Columns * 2 * BytesPerSample : DecodedFrameBytes;

    /// <summary>Rows, Columns and Number of Frames: all that is needed to check the limits.</summary>
    public static (int Rows, int Columns, int Frames) Geometry(DicomHeader header)
    {
        if (header.PixelData == PixelDataKind.None)
        {
            throw new ImageDecodeException(ImageDecodeError.NoImage, "The DICOM object has no Pixel Data (7FE0,0010).");
        }

        if (header.Rows is not { } rows || header.Columns is not { } columns)
        {
            throw DicomElementCursor.Malformed("The DICOM image has no Rows (0028,0010) or Columns (0028,0011).");
        }

        var frames = header.NumberOfFrames ?? 1;
        return frames >= 1 ? (rows, columns, frames)
            : throw DicomElementCursor.Malformed($"Number of Frames (0028,0008) is {frames}.");
    }

    public static PixelLayout From(DicomHeader header, int rows, int columns, int frames)
    {
        if (header.PixelData == PixelDataKind.Float)
        {
            throw Unsupported("Float and Double Float Pixel Data (PS3.3 C.7.6.24) are not supported.");
        }

        if ((header.PixelData == PixelDataKind.Encapsulated) != header.Syntax.Encapsulated)
        {
            throw DicomElementCursor.Malformed($"Pixel Data is {(header.Syntax.Encapsulated ? "not " : "")}encapsulated, but the transfer syntax is {header.Syntax.Name} (PS3.5 A.4).");
        }

        var samples = header.SamplesPerPixel ?? throw DicomElementCursor.Malformed("Samples per Pixel (0028,0002) is missing.");
        var photometric = header.Photometric ?? throw DicomElementCursor.Malformed("Photometric Interpretation (0028,0004) is missing.");
        var allocated = header.BitsAllocated ?? throw DicomElementCursor.Malformed("Bits Allocated (0028,0100) is missing.");
        var stored = header.BitsStored ?? allocated;
        var highBit = header.HighBit ?? (stored - 1);
        var representation = header.PixelRepresentation ?? 0;
        if (allocated is not (8 or 16 or 32))
        {
            throw Unsupported($"Bits Allocated {allocated} is not supported (8, 16 or 32).");
        }

        if (stored < 1 || stored > allocated || highBit < stored - 1 || highBit >= allocated || representation is not (0 or 1))
        {
            throw DicomElementCursor.Malformed($"Inconsistent pixel format: Bits Allocated {allocated}, Bits Stored {stored}, High Bit {highBit}, Pixel Representation {representation}.");
        }

        var color = ColorOf(samples, photometric);
        var planar = samples == 3 ? header.PlanarConfiguration ?? 0 : 0;
        if (planar is not (0 or 1))
        {
            throw DicomElementCursor.Malformed($"Planar Configuration (0028,0006) is {planar}.");
        }

        if (color is ColorModel.Rgb or ColorModel.Ybr && (representation == 1 || allocated == 32 || (color == ColorModel.Ybr && allocated != 8)))
        {
            throw Unsupported($"{photometric} with Bits Allocated {allocated} and Pixel Representation {representation} is not supported.");
        }

        CheckSyntax(header.Syntax, photometric, columns, planar, allocated, stored);

        return new PixelLayout(rows, columns, frames, samples, allocated, stored, highBit, representation == 1, planar, photometric, color);
    }

    // Combinations the standard rules out, each of which trips an assertion in Debian's GDCM 3.0
    // (which aborts the process) or makes it misread the data.
    private static void CheckSyntax(DicomTransferSyntax syntax, string photometric, int columns, int planar, int allocated, int stored)
    {
        // PS3.5 8.2.4 and A.4.4: YBR_RCT/YBR_ICT only describe JPEG 2000 codestreams.
        if (photometric is "YBR_RCT" or "YBR_ICT" && syntax.Pixels != PixelEncoding.Jpeg2000)
        {
            throw DicomElementCursor.Malformed($"{photometric} is only used with JPEG 2000, not {syntax.Name}.");
        }

        // PS3.3 C.7.6.3.1.2: YBR_FULL_422 is native 4:2:2 (even columns, colour-by-pixel) or a JPEG
        // process that subsamples chroma itself; RLE, JPEG-LS and JPEG 2000 do not use it.
        if (photometric == "YBR_FULL_422" && (syntax.Pixels is not (PixelEncoding.Native or PixelEncoding.Jpeg)
            || (syntax.Pixels == PixelEncoding.Native && (columns % 2 != 0 || planar != 0))))
        {
            throw DicomElementCursor.Malformed($"YBR_FULL_422 is not valid here ({syntax.Name}, {columns} columns, planar configuration {planar}).");
        }

        // GDCM's codecs insist that 8-bit allocated samples store 8 bits (native data is handed over
        // as 8 of 8 and masked here instead, see PixelModuleFile).
        if (syntax.Encapsulated && allocated == 8 && stored != 8)
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported, $"Compressed 8-bit data with {stored} bits stored is not supported.");
        }
    }

    // PS3.3 C.7.6.3.1.2. YBR_RCT and YBR_ICT name the JPEG 2000 component transform; the decoder
    // inverts it, so the decoded samples are RGB.
    private static ColorModel ColorOf(int samples, string photometric) => (samples, photometric) switch
    {
        (1, "MONOCHROME1") => ColorModel.Monochrome1,
        (1, "MONOCHROME2") => ColorModel.Monochrome2,
        (3, "RGB" or "YBR_RCT" or "YBR_ICT") => ColorModel.Rgb,
        (3, "YBR_FULL" or "YBR_FULL_422") => ColorModel.Ybr,
        (1, "RGB" or "YBR_RCT" or "YBR_ICT" or "YBR_FULL" or "YBR_FULL_422") or (3, "MONOCHROME1" or "MONOCHROME2")
            => throw DicomElementCursor.Malformed($"Photometric Interpretation {photometric} contradicts Samples per Pixel {samples}."),
        _ => throw Unsupported($"Photometric Interpretation '{DicomValues.Printable(photometric)}' with {samples} samples per pixel is not supported."),
    };

    private static ImageDecodeException Unsupported(string message) => new(ImageDecodeError.Unsupported, message);
}
