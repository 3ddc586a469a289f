using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency;

namespace ExplainApi.Host.Explaining;

/// <summary>How a map is drawn for a client: <c>overlay</c> on the uploaded image, the <c>map</c> alone as a 16-bit grey PNG, or a colour <c>heatmap</c>.</summary>
public enum SaliencyRender
{
    Overlay,
    Map,
    Heatmap,
}

/// <summary>
/// Saliency maps as PNGs at the size of the uploaded image (the map is computed at the model's input size and
/// resized bilinearly). A signed map (Integrated Gradients, occlusion) is drawn from its raw values scaled
/// symmetrically, so zero stays neutral; the others from their min–max normalisation.
/// </summary>
public static class SaliencyRendering
{
    public static byte[] Png(SaliencyMap map, ImageTensor image, SaliencyRender render, ColorMap? colorMap)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(image);
        var colors = colorMap ?? (map.IsSigned ? ColorMap.CoolWarm : ColorMap.Inferno);
        var values = map.IsSigned ? map.Raw : map.Normalized;
        switch (render)
        {
            case SaliencyRender.Overlay:
                return OverlayRenderer.RenderPng(image, values, map.Height, map.Width, new OverlayOptions { ColorMap = colors, Scaling = map.DisplayScaling });
            case SaliencyRender.Heatmap:
                return HeatmapRenderer.RenderPng(AtImageSize(values, map, image), image.Height, image.Width, colors, map.DisplayScaling);
            default:
                return HeatmapRenderer.RenderGrey16Png(AtImageSize(values, map, image), image.Height, image.Width, map.DisplayScaling);
        }
    }

    private static float[] AtImageSize(float[] values, SaliencyMap map, ImageTensor image) =>
        map.Height == image.Height && map.Width == image.Width ? values : Resize.Bilinear(values, map.Height, map.Width, image.Height, image.Width);
}
