using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Rendering;

/// <summary>How a map is drawn over an image.</summary>
public sealed record OverlayOptions
{
    public ColorMap ColorMap { get; init; } = ColorMap.Inferno;

    /// <summary>Alpha of the map in [0, 1]: 0 shows only the image, 1 only the map.</summary>
    public float Opacity { get; init; } = 0.5f;

    /// <summary>
    /// Scale alpha per pixel by the map's strength (t for min-max, |2t - 1| for symmetric), so that
    /// unimportant regions show the image through.
    /// </summary>
    public bool WeightByValue { get; init; }

    /// <summary>Null picks <see cref="HeatmapRenderer.DefaultScaling"/> for the colour map.</summary>
    public HeatmapScaling? Scaling { get; init; }
}

/// <summary>Alpha-blends a coloured map onto an image's display view (its window applied, see <see cref="ImageTensor.ToNormalized"/>).</summary>
public static class OverlayRenderer
{
    /// <summary>
    /// Interleaved 8-bit RGB at the image's size. A map of another size is resized bilinearly first.
    /// Grey images are replicated to three channels; images with three or more channels use the
    /// first three as RGB; a two-channel image shows its first channel.
    /// </summary>
    public static byte[] RenderRgb(ImageTensor image, ReadOnlySpan<float> map, int mapHeight, int mapWidth, OverlayOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        HeatmapRenderer.CheckShape(map, mapHeight, mapWidth);
        if (!(options.Opacity is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opacity, "Opacity must be in [0, 1].");
        }

        var (h, w) = (image.Height, image.Width);
        var resized = mapHeight == h && mapWidth == w ? map : Resize.Bilinear(map, mapHeight, mapWidth, h, w);
        var scaling = options.Scaling ?? HeatmapRenderer.DefaultScaling(options.ColorMap);
        var normalized = HeatmapRenderer.Normalize(resized, scaling);
        var heat = HeatmapRenderer.Colorize(normalized, options.ColorMap);
        var pixels = image.ToNormalized();
        var plane = image.PixelCount;
        var colour = image.Channels >= 3;
        var result = new byte[plane * 3];
        for (var p = 0; p < plane; p++)
        {
            var t = normalized[p];
            var weight = !options.WeightByValue ? 1f
                : scaling == HeatmapScaling.Symmetric ? Math.Abs((2 * t) - 1) : t;
            var alpha = options.Opacity * weight;
            for (var c = 0; c < 3; c++)
            {
                var background = pixels[((colour ? c : 0) * plane) + p] * 255f;
                result[(3 * p) + c] = (byte)MathF.Round(((1 - alpha) * background) + (alpha * heat[(3 * p) + c]));
            }
        }

        return result;
    }

    /// <summary>The overlay as an RGB PNG.</summary>
    public static byte[] RenderPng(ImageTensor image, ReadOnlySpan<float> map, int mapHeight, int mapWidth, OverlayOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngEncoder.Encode(RenderRgb(image, map, mapHeight, mapWidth, options), image.Width, image.Height, PngPixelFormat.Rgb8);
    }
}
