using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom;

/// <summary>One decoded frame: little-endian samples as GDCM lays them out, and how they are arranged.</summary>
internal readonly record struct DecodedFrame(ReadOnlyMemory<byte> Samples, string Photometric, int PlanarConfiguration);

/// <summary>
/// Runs GDCM on the validated pixel module: reads it, checks GDCM agrees with the managed header, and
/// decodes the pixel data (every transfer syntax in <see cref="DicomTransferSyntax"/>).
/// <para>
/// Thread safety: every GDCM object (reader, image, scratch file) is created per call and never shared;
/// GDCM's only process-wide state we touch (its dictionaries and Trace flags) is read-only after
/// <see cref="GdcmNative.EnsureInitialized"/>, so concurrent calls need no lock.
/// </para>
/// </summary>
internal static class GdcmFrameDecoder
{
    public static DecodedFrame Decode(DicomHeader header, PixelLayout layout, int frame, bool allowMemfd = true)
    {
        GdcmNative.EnsureInitialized();
        using var scratch = ScratchFile.Create(allowMemfd);
        PixelModuleFile.Write(scratch.Stream, header, layout);
        try
        {
            using var reader = new gdcm.ImageReader();
            reader.SetFileName(scratch.Path);
            if (!reader.Read())
            {
                throw DicomElementCursor.Malformed("GDCM could not read the image pixel module.");
            }

            using var image = reader.GetImage();
            CheckAgreement(image, layout);

            // GDCM decodes every frame; the length was bounded by the limits through Frames x Rows x Columns.
            var buffer = new byte[layout.DecodedFrameBytes * layout.Frames];
            if (!image.GetBuffer(buffer))
            {
                throw DicomElementCursor.Malformed($"The {header.Syntax.Name} pixel data is corrupt or truncated and could not be decoded.");
            }

            // Read after decoding: a codec may report the colour space it actually produced.
            using var photometric = image.GetPhotometricInterpretation();
            var frameBytes = (int)layout.DecodedFrameBytes;
            return new DecodedFrame(buffer.AsMemory(frame * frameBytes, frameBytes), photometric.GetString().Trim(' ', '\0'), (int)image.GetPlanarConfiguration());
        }
        catch (Exception e) when (e is ApplicationException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or IOException or ArithmeticException)
        {
            // SWIG turns a C++ exception that GDCM lets out into one of these managed exceptions.
            throw new ImageDecodeException(ImageDecodeError.Malformed, "GDCM rejected the pixel data.", e);
        }
    }

    private static void CheckAgreement(gdcm.Image image, PixelLayout layout)
    {
        using var format = image.GetPixelFormat();
        var frames = image.GetNumberOfDimensions() == 3 ? image.GetDimension(2) : 1;
        if (image.GetDimension(0) != layout.Columns || image.GetDimension(1) != layout.Rows || frames != layout.Frames
            || format.GetSamplesPerPixel() != layout.SamplesPerPixel || format.GetBitsAllocated() != layout.BitsAllocated
            || image.GetBufferLength() != layout.DecodedFrameBytes * layout.Frames)
        {
            throw DicomElementCursor.Malformed("GDCM reads a different image geometry or pixel format from the header.");
        }
    }
}
