using System.Collections.Frozen;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// A saliency map at the input's size H×W (row-major): <paramref name="Raw"/> in the method's own
/// units (after its ReLU and bilinear upsampling) and <paramref name="Normalized"/>, its min–max
/// scaling to [0, 1] (METHODS.md §1; all zeros for a constant map, which ranks nothing).
/// <paramref name="IsSigned"/> marks maps whose raw sign means something (Integrated Gradients, occlusion:
/// negative = evidence against the class). Their min–max scaling puts 0 at an arbitrary grey, so a display
/// should render <see cref="Raw"/> with <see cref="DisplayScaling"/> (0 ↦ 0.5) and a diverging colour map.
/// <paramref name="Diagnostics"/> carries numbers a caller may report beside the map (e.g. Integrated
/// Gradients' completeness gap); empty for most methods.
/// </summary>
public sealed record SaliencyMap(
    string Method,
    int TargetClass,
    int Height,
    int Width,
    float[] Raw,
    float[] Normalized,
    bool IsSigned = false,
    IReadOnlyDictionary<string, double>? Diagnostics = null)
{
    /// <summary>Symmetric about 0 for a signed map, min–max otherwise.</summary>
    public HeatmapScaling DisplayScaling => IsSigned ? HeatmapScaling.Symmetric : HeatmapScaling.MinMax;

    /// <summary>Never null: <see cref="Diagnostics"/> or an empty dictionary.</summary>
    public IReadOnlyDictionary<string, double> Details => Diagnostics ?? EmptyDiagnostics;

    private static readonly IReadOnlyDictionary<string, double> EmptyDiagnostics = FrozenDictionary<string, double>.Empty;
}
