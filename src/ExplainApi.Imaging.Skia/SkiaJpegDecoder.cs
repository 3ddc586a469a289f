using ExplainApi.Core.Imaging;
using SkiaSharp;

namespace ExplainApi.Imaging.Skia;

/// <summary>
/// JPEG to raw 8-bit levels through Skia (libjpeg-turbo): one channel for greyscale JPEGs, three
/// for YCbCr, RGB and CMYK/YCCK, which libjpeg-turbo and Skia convert to RGB. The EXIF orientation
/// is not applied: pixels come in stored order. Stateless, so one instance serves concurrent requests.
/// </summary>
public sealed class SkiaJpegDecoder : IImageDecoder
{
    public ImageFormat Format => ImageFormat.Jpeg;

    public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);
        if (!data.Span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            throw SkiaCodecReader.Malformed("The data is not a JPEG (no SOI marker).");
        }

        // SKCodec.Create reads the markers up to the start of scan (jpeg_read_header), not the pixels.
        using var codec = SkiaCodecReader.Open(data, SKEncodedImageFormat.Jpeg);
        limits.CheckDimensions(codec.Info.Width, codec.Info.Height);
        JpegScanData.CheckComplete(data.Span);
        var channels = codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3;
        return SkiaCodecReader.Tensor(ImageFormat.Jpeg, channels, codec.Info.Height, codec.Info.Width,
            SkiaCodecReader.ReadPixels(codec, channels), 8);
    }
}
