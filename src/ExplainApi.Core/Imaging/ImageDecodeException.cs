namespace ExplainApi.Core.Imaging;

/// <summary>Why an image could not be decoded; the host maps each kind to one HTTP status.</summary>
public enum ImageDecodeError
{
    /// <summary>Corrupt or self-contradictory data (400).</summary>
    Malformed,

    /// <summary>Bytes, dimensions, pixels or voxels above the configured limits (413).</summary>
    TooLarge,

    /// <summary>Well-formed, but a variant we do not decode (e.g. a complex-valued NIfTI) (422).</summary>
    Unsupported,

    /// <summary>A DICOM object without pixel data, or a slice/frame that does not exist (422).</summary>
    NoImage,

    /// <summary>Well-formed as far as it goes, but the data ends before the image its header declares (422).</summary>
    Truncated,
}

public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageDecodeError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message) : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ImageDecodeError Error { get; }
}
