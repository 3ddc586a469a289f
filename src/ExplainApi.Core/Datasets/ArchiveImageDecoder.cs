using System.IO.Compression;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// One archive entry to one decoded image, or the reason it is rejected: nested archives by their
/// magic bytes, then the image reader (format from the bytes, the extension only as a hint).
/// </summary>
public sealed class ArchiveImageDecoder(ImageReader reader, ImageLimits imageLimits)
{
    public ImageTensor? Decode(ZipArchiveEntry entry, ZipEntryReader entries, out string? reason)
    {
        var data = entries.Read(entry, out reason);
        if (data is null)
        {
            return null;
        }

        if (ArchivePaths.LooksLikeArchive(data))
        {
            reason = DatasetLayout.NestedArchive;
            return null;
        }

        try
        {
            return reader.Read(data, DeclaredFormat(entry.Name), DecodeOptions.Default, imageLimits);
        }
        catch (ImageDecodeException exception)
        {
            reason = exception.Message;
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            // Decoders promise ImageDecodeException for bad input; one uploaded file must not sink the upload if one breaks it.
            reason = $"The decoder failed ({exception.GetType().Name}).";
        }

        return null;
    }

    private static ImageFormat? DeclaredFormat(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => ImageFormat.Png,
        ".jpg" or ".jpeg" => ImageFormat.Jpeg,
        ".dcm" or ".dicom" => ImageFormat.Dicom,
        ".nii" or ".gz" => ImageFormat.Nifti,
        _ => null,
    };
}
