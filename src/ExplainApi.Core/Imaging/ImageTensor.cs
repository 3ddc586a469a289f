namespace ExplainApi.Core.Imaging;

/// <summary>
/// A decoded image as planar float32 values, laid out [channel, row, column] (CHW, as PyTorch and
/// ONNX expect). Values stay in the source's own units (raw PNG levels, Hounsfield units after DICOM
/// rescale, NIfTI values after scl_slope/intercept); <see cref="Window"/> says how to map them to
/// [0, 1] for display and model input.
/// </summary>
public sealed class ImageTensor
{
    public ImageTensor(int channels, int height, int width, float[] data, IntensityWindow window, ImageSourceInfo source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != (long)channels * height * width)
        {
            throw new ArgumentException($"Expected {channels}x{height}x{width} values, got {data.LongLength}.", nameof(data));
        }

        Channels = channels;
        Height = height;
        Width = width;
        Data = data;
        Window = window;
        Source = source;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Planar CHW values in source units.</summary>
    public float[] Data { get; }

    public IntensityWindow Window { get; }
    public ImageSourceInfo Source { get; }

    public int PixelCount => Height * Width;

    public ReadOnlySpan<float> Plane(int channel) => Data.AsSpan(channel * PixelCount, PixelCount);

    /// <summary>The values mapped through <see cref="Window"/> to [0, 1] (clamped), CHW.</summary>
    public float[] ToNormalized()
    {
        var result = new float[Data.Length];
        Window.Normalize(Data, result);
        return result;
    }
}
