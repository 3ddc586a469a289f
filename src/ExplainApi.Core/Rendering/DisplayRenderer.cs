using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Rendering;

/// <summary>An image as a person (or a model) sees it: its intensity window applied, 8 bits per sample.</summary>
public static class DisplayRenderer
{
    /// <summary>8-bit grey (one channel) or RGB (three or more: the first three) PNG of the windowed image.</summary>
    public static byte[] RenderPng(ImageTensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var normalized = image.ToNormalized();
        var plane = image.PixelCount;
        var channels = image.Channels >= 3 ? 3 : 1;
        var samples = new byte[plane * channels];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                samples[(p * channels) + c] = ToByte(normalized[(c * plane) + p]);
            }
        }

        return PngEncoder.Encode(samples, image.Width, image.Height, channels == 3 ? PngPixelFormat.Rgb8 : PngPixelFormat.Grey8);
    }

    /// <summary>
    /// The windowed intensity coloured by <paramref name="colorMap"/>: the window, not the min–max of the
    /// pixels, sets the scale, so the same tissue gets the same colour in every image of a series.
    /// Colour images are reduced to Rec. 709 luma first.
    /// </summary>
    public static byte[] RenderColorMappedPng(ImageTensor image, ColorMap colorMap)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(colorMap);
        var normalized = image.ToNormalized();
        var plane = image.PixelCount;
        var intensity = new float[plane];
        for (var p = 0; p < plane; p++)
        {
            intensity[p] = image.Channels >= 3
                ? (0.2126f * normalized[p]) + (0.7152f * normalized[plane + p]) + (0.0722f * normalized[(2 * plane) + p])
                : normalized[p];
        }

        return PngEncoder.Encode(HeatmapRenderer.Colorize(intensity, colorMap), image.Width, image.Height, PngPixelFormat.Rgb8);
    }

    private static byte ToByte(float unit) => (byte)MathF.Round(Math.Clamp(unit, 0f, 1f) * 255f);
}
