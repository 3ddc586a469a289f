using ExplainApi.Core.Imaging;

namespace ExplainApi.Host.Imaging;

/// <summary>What the service made of an uploaded image: geometry, source attributes, window and statistics. No patient data.</summary>
public sealed record ImageInspection(
    string Format,
    int Width,
    int Height,
    int Channels,
    int BitsStored,
    string Photometric,
    string? TransferSyntax,
    string? Modality,
    double RescaleSlope,
    double RescaleIntercept,
    int? Slice,
    int? SliceCount,
    int? Frame,
    int? FrameCount,
    IReadOnlyList<double>? PixelSpacing,
    WindowInfo Window,
    IReadOnlyList<ChannelStatistics> Statistics)
{
    public static ImageInspection From(ImageTensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var s = image.Source;
        var stats = Enumerable.Range(0, image.Channels).Select(c => ChannelStatistics.Of(image.Plane(c))).ToList();
        return new ImageInspection(s.Format.ToString().ToLowerInvariant(), image.Width, image.Height, image.Channels,
            s.BitsStored, s.Photometric, s.TransferSyntax, s.Modality, s.RescaleSlope, s.RescaleIntercept,
            s.Slice, s.SliceCount, s.Frame, s.FrameCount, s.PixelSpacing,
            new WindowInfo(image.Window.Low, image.Window.High, image.Window.Invert), stats);
    }
}

/// <summary>The intensity window mapping source values to [0, 1] (inverted for MONOCHROME1).</summary>
public sealed record WindowInfo(double Low, double High, bool Invert);

public sealed record ChannelStatistics(double Min, double Max, double Mean)
{
    public static ChannelStatistics Of(ReadOnlySpan<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            count++;
        }

        return count == 0 ? new ChannelStatistics(0, 0, 0) : new ChannelStatistics(min, max, sum / count);
    }
}

/// <summary>What /v1/images/render returns.</summary>
public enum RenderView
{
    /// <summary>The image through its window, 8-bit grey or RGB PNG.</summary>
    Image,

    /// <summary>The windowed image coloured by a colour map, PNG.</summary>
    Heatmap,

    /// <summary>The source values as little-endian float32, CHW, shape in the X-Image-Shape header.</summary>
    Raw,
}
