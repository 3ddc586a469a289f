using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom;

/// <summary>
/// Decodes one frame of a single-instance DICOM Part 10 image with GDCM: every transfer syntax in
/// <see cref="DicomTransferSyntax"/> (uncompressed implicit/explicit little and big endian, deflated,
/// JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000, RLE).
/// <para>
/// Order of work, so that bad or hostile input costs little and never reaches native code unchecked:
/// byte limit; a managed walk of the whole file (<see cref="DicomHeaderReader"/>); Rows/Columns and
/// Frames x Rows x Columns against the limits; pixel format support; stored length or codestream
/// headers against the header (<see cref="PixelDataCheck"/>); only then GDCM, given the image pixel
/// module alone (<see cref="PixelModuleFile"/>). Output values are in modality units: Rescale
/// Slope/Intercept applied (PS3.3 C.11.1.1.2) to grey images. Only technical attributes are read;
/// patient attributes are never read, kept or logged.
/// </para>
/// <para>
/// Not handled: per-frame rescale and window in the functional groups of enhanced multi-frame objects
/// (PS3.3 C.7.6.16; only top-level attributes are read), PALETTE COLOR, float pixel data, and
/// non-image IODs; these are refused or decoded with the top-level values.
/// </para>
/// <para>Thread-safe and stateless: register it as a singleton.</para>
/// </summary>
public sealed class GdcmDicomDecoder : IImageDecoder
{
    public ImageFormat Format => ImageFormat.Dicom;

    public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);

        var header = DicomHeaderReader.Read(data, limits.MaxBytes);
        var (rows, columns, frames) = PixelLayout.Geometry(header);
        limits.CheckDimensions(columns, rows);
        limits.CheckVoxels((long)frames * rows * columns);
        var layout = PixelLayout.From(header, rows, columns, frames);
        if (layout.DecodedFrameBytes * frames > Array.MaxLength)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge, $"The {frames} frame(s) decode to more than {Array.MaxLength} bytes.");
        }

        var frame = options.Frame ?? 0;
        if (frame < 0 || frame >= frames)
        {
            throw new ImageDecodeException(ImageDecodeError.NoImage, $"Frame {frame} does not exist; the image has {frames} frame(s).");
        }

        PixelDataCheck.Validate(header, layout);
        var decoded = GdcmFrameDecoder.Decode(header, layout, frame);

        // PS3.3 C.11.1: the Modality LUT (rescale) applies to grey images only.
        var grey = layout.SamplesPerPixel == 1;
        var slope = grey ? header.RescaleSlope ?? 1 : 1;
        var intercept = grey ? header.RescaleIntercept ?? 0 : 0;
        var planes = DicomPixelConverter.ToPlanes(decoded, layout, slope, intercept);

        var source = new ImageSourceInfo(
            ImageFormat.Dicom,
            layout.BitsStored,
            layout.Photometric,
            TransferSyntax: header.Syntax.Uid,
            Modality: string.IsNullOrEmpty(header.Modality) ? null : header.Modality,
            RescaleSlope: slope,
            RescaleIntercept: intercept,
            Frame: frame,
            FrameCount: frames,
            PixelSpacing: header.PixelSpacing is [> 0, > 0] spacing ? spacing : null);
        return new ImageTensor(layout.Channels, rows, columns, planes, Window(header, layout, planes), source);
    }

    private static IntensityWindow Window(DicomHeader header, PixelLayout layout, float[] planes)
    {
        if (layout.SamplesPerPixel == 3)
        {
            // Colour samples are shown as stored: [0, 255] for 8 bits, [0, 2^BitsStored - 1] otherwise.
            return new IntensityWindow(0, layout.BitsAllocated == 8 ? 255 : (1L << layout.BitsStored) - 1);
        }

        // PS3.3 C.7.6.3.1.2: MONOCHROME1 shows the minimum as white.
        var invert = layout.Color == ColorModel.Monochrome1;
        // PS3.3 C.11.2.1.2: Window Center/Width apply to the rescaled values; the first pair is the
        // default. A width below 1 is not allowed, so such a window is ignored.
        return header is { WindowCenter: { } center, WindowWidth: { } width and >= 1 }
            ? IntensityWindow.FromCenterWidth(center, width, invert)
            : IntensityWindow.FromRange(planes, invert);
    }
}
