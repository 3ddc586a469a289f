using ExplainApi.Core.Imaging;
using SkiaSharp;

namespace ExplainApi.Imaging.Skia;

/// <summary>
/// PNG to raw levels: grey (with or without alpha) gives one channel, RGB, RGBA and palette give
/// three; alpha is dropped. 8-bit and lower depths go through Skia (libpng), which scales 1/2/4-bit
/// grey to 8 bits; 16-bit PNGs go through <see cref="Png16Reader"/> to keep all 16 bits.
/// Stateless, so one instance serves concurrent requests.
/// </summary>
public sealed class SkiaPngDecoder : IImageDecoder
{
    public ImageFormat Format => ImageFormat.Png;

    public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);
        var header = PngHeader.Read(data);
        limits.CheckDimensions(header.Width, header.Height);
        var (width, height) = ((int)header.Width, (int)header.Height);
        var channels = header.IsGrey ? 1 : 3;
        if (header.BitDepth == 16)
        {
            return SkiaCodecReader.Tensor(ImageFormat.Png, channels, height, width, Png16Reader.Decode(data, header, channels), 16);
        }

        // libpng checks the CRC of the chunks it reads; checking them all here first also catches a
        // corrupt chunk that libpng skips and makes a truncated file fail before Skia sees it.
        PngChunks.Validate(data);

        using var codec = SkiaCodecReader.Open(data, SKEncodedImageFormat.Png);
        float[] pixels;
        try
        {
            pixels = SkiaCodecReader.ReadPixels(codec, channels);
        }
        catch (ImageDecodeException e) when (e.Error is ImageDecodeError.Malformed or ImageDecodeError.Truncated)
        {
            // The chunks are complete here, and libpng's IncompleteInput/ErrorInInput do not tell a short
            // zlib stream from a corrupt one: inflating it does.
            PngImageData.ThrowIfTruncated(data, header);
            throw SkiaCodecReader.Malformed("The PNG image data is corrupt (libpng could not inflate or unfilter it).");
        }

        return SkiaCodecReader.Tensor(ImageFormat.Png, channels, height, width, pixels, 8);
    }
}
