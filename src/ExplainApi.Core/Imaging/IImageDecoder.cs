namespace ExplainApi.Core.Imaging;

/// <summary>Which part of a multi-image source to decode; null means the decoder's documented default.</summary>
public sealed record DecodeOptions
{
    /// <summary>NIfTI: index along the third (k) axis; default the middle slice.</summary>
    public int? Slice { get; init; }

    /// <summary>NIfTI: index along the fourth (t) axis; default 0.</summary>
    public int? Volume { get; init; }

    /// <summary>DICOM multi-frame: frame index; default 0.</summary>
    public int? Frame { get; init; }

    public static DecodeOptions Default { get; } = new();
}

/// <summary>
/// Decodes one image format. Implementations check <see cref="ImageLimits"/> against the header before
/// allocating pixel buffers and throw <see cref="ImageDecodeException"/> for every input problem (never
/// another exception type for bad input).
/// </summary>
public interface IImageDecoder
{
    ImageFormat Format { get; }

    ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits);
}
