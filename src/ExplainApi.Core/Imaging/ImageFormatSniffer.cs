namespace ExplainApi.Core.Imaging;

/// <summary>Recognises a format from its magic bytes, so a mislabelled upload is still read correctly.</summary>
public static class ImageFormatSniffer
{
    public static ImageFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFormat.Jpeg;
        }

        // DICOM Part 10: 128-byte preamble then "DICM" (PS3.10 7.1).
        if (data.Length >= 132 && data.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return ImageFormat.Dicom;
        }

        // gzip (a .nii.gz) or a NIfTI-1 header: sizeof_hdr = 348 in either byte order, magic at 344.
        if (data.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return ImageFormat.Nifti;
        }

        if (data.Length >= 348 && (data.Slice(344, 4).SequenceEqual("n+1\0"u8) || data.Slice(344, 4).SequenceEqual("ni1\0"u8)))
        {
            return ImageFormat.Nifti;
        }

        // NIfTI-2 keeps its magic at offset 4; the NIfTI decoder answers it with a clear "unsupported".
        if (data.Length >= 540 && (data.Slice(4, 4).SequenceEqual("n+2\0"u8) || data.Slice(4, 4).SequenceEqual("ni2\0"u8)))
        {
            return ImageFormat.Nifti;
        }

        return null;
    }

    /// <summary>The format a request's media type names, or null when it names none we read.</summary>
    public static ImageFormat? FromMediaType(string? mediaType) => mediaType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "image/png" => ImageFormat.Png,
        "image/jpeg" or "image/jpg" => ImageFormat.Jpeg,
        "application/dicom" => ImageFormat.Dicom,
        "application/x-nifti" or "application/nifti" or "image/nifti" or "application/gzip" or "application/x-gzip" => ImageFormat.Nifti,
        _ => null,
    };
}
