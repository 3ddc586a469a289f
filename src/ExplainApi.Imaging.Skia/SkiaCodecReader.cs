using ExplainApi.Core.Imaging;
using SkiaSharp;

namespace ExplainApi.Imaging.Skia;

/// <summary>The Skia half shared by the PNG and JPEG decoders: header, limits, pixels, tensor.</summary>
internal static class SkiaCodecReader
{
    /// <summary>
    /// A codec over a copy of <paramref name="data"/>. Creating it parses only the header, so the
    /// caller can check limits before any pixel buffer exists.
    /// </summary>
    public static SKCodec Open(ReadOnlyMemory<byte> data, SKEncodedImageFormat expected)
    {
        using var skData = SKData.CreateCopy(data.Span);
        var codec = SKCodec.Create(skData) ?? throw Malformed($"The {expected} header could not be read (truncated or corrupt).");
        if (codec.EncodedFormat != expected)
        {
            codec.Dispose();
            throw Malformed($"The data is {codec.EncodedFormat}, not {expected}.");
        }

        return codec;
    }

    /// <summary>
    /// Decodes every pixel to unpremultiplied RGBA8888 with no destination colour space, which tells
    /// Skia to apply no colour conversion (ICC, gAMA) and keeps the stored levels; grey sources are
    /// replicated into R, G and B, so <paramref name="channels"/> 1 reads R. Any result but Success
    /// fails: on IncompleteInput (truncated) Skia fills the missing rows with zeros, which must never
    /// reach a model as if it were the image.
    /// </summary>
    public static float[] ReadPixels(SKCodec codec, int channels)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
        var rgba = new byte[info.BytesSize64];
        var result = codec.GetPixels(info, rgba);
        if (result != SKCodecResult.Success)
        {
            throw result switch
            {
                SKCodecResult.InvalidConversion or SKCodecResult.Unimplemented =>
                    new ImageDecodeException(ImageDecodeError.Unsupported, $"Skia cannot decode this {codec.EncodedFormat} ({result})."),
                SKCodecResult.IncompleteInput => new ImageDecodeException(ImageDecodeError.Truncated,
                    $"The {codec.EncodedFormat} image data is truncated: the file ends before the {info.Width} x {info.Height} image its header declares."),
                _ => Malformed($"The {codec.EncodedFormat} image data is corrupt ({result})."),
            };
        }

        var plane = info.Width * info.Height;
        var chw = new float[channels * plane];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                chw[(c * plane) + p] = rgba[(4 * p) + c];
            }
        }

        return chw;
    }

    /// <summary>A tensor of raw levels with the window [0, 2^bits - 1].</summary>
    public static ImageTensor Tensor(ImageFormat format, int channels, int height, int width, float[] data, int bits) =>
        new(channels, height, width, data, new IntensityWindow(0, (1 << bits) - 1),
            new ImageSourceInfo(format, bits, channels == 1 ? "MONOCHROME2" : "RGB"));

    public static ImageDecodeException Malformed(string message) => new(ImageDecodeError.Malformed, message);
}
