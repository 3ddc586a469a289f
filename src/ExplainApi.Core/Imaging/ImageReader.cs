namespace ExplainApi.Core.Imaging;

/// <summary>
/// Picks the decoder for an upload. The magic bytes win over the declared media type, because PACS
/// gateways routinely label DICOM as application/octet-stream and browsers label .nii.gz as gzip;
/// the declared type is only used when the bytes name no format we know.
/// </summary>
public sealed class ImageReader
{
    private readonly Dictionary<ImageFormat, IImageDecoder> _decoders;

    public ImageReader(IEnumerable<IImageDecoder> decoders)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        _decoders = decoders.ToDictionary(d => d.Format);
    }

    public IReadOnlyCollection<ImageFormat> Formats => _decoders.Keys;

    public ImageTensor Read(ReadOnlyMemory<byte> data, ImageFormat? declared, DecodeOptions options, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeError.Malformed, "The image is empty.");
        }

        var format = ImageFormatSniffer.Sniff(data.Span) ?? declared
            ?? throw new ImageDecodeException(ImageDecodeError.Malformed,
                "The bytes are not a PNG, JPEG, DICOM Part 10 or NIfTI-1 file.");
        if (!_decoders.TryGetValue(format, out var decoder))
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported, $"No decoder is installed for {format}.");
        }

        return decoder.Decode(data, options, limits);
    }
}
