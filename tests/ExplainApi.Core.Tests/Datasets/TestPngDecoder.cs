using System.Buffers.Binary;
using System.IO.Compression;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>
/// Enough PNG reading for these tests (8-bit grey and RGB, no interlace), since Core's tests do not
/// load Skia: the importer only needs an IImageDecoder, and this one decodes what PngEncoder writes.
/// </summary>
internal sealed class TestPngDecoder : IImageDecoder
{
    public ImageFormat Format => ImageFormat.Png;

    public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits)
    {
        try
        {
            return DecodeCore(data.ToArray(), limits);
        }
        catch (Exception exception) when (exception is not ImageDecodeException)
        {
            throw new ImageDecodeException(ImageDecodeError.Malformed, "The PNG is corrupt: " + exception.Message, exception);
        }
    }

    public static ImageReader Reader() => new([new TestPngDecoder()]);

    private static ImageTensor DecodeCore(byte[] png, ImageLimits limits)
    {
        var (width, height, channels) = (0, 0, 0);
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body[4..]));
                channels = body[9] == 2 ? 3 : 1;
                limits.CheckDimensions(width, height);
            }
            else if (type == "IDAT")
            {
                idat.Write(body);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        zlib.ReadExactly(raw);
        var data = new float[channels * width * height];
        var previous = Array.Empty<byte>();
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan((y * (stride + 1)) + 1, stride);
            PngFilters.Unfilter(raw[y * (stride + 1)], row, previous, channels);
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    data[(c * width * height) + (y * width) + x] = row[(x * channels) + c];
                }
            }

            previous = row.ToArray();
        }

        return new ImageTensor(channels, height, width, data, new IntensityWindow(0, 255), new ImageSourceInfo(ImageFormat.Png, 8, channels == 1 ? "grey" : "rgb"));
    }
}
