using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Saliency;

/// <summary>Wraps a raw H×W map computed at the input resolution (perturbation and input-gradient methods) as a <see cref="SaliencyMap"/> with the min–max normalisation the CAM methods use.</summary>
internal static class RawMaps
{
    public static SaliencyMap Create(
        string method, int targetClass, int height, int width, double[] raw, bool signed = false, IReadOnlyDictionary<string, double>? diagnostics = null)
    {
        var values = Array.ConvertAll(raw, v => (float)v);
        return new SaliencyMap(method, targetClass, height, width, values, HeatmapRenderer.Normalize(values, HeatmapScaling.MinMax), signed, diagnostics);
    }
}
