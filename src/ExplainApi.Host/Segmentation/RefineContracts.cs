using ExplainApi.Core.Segmentation;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The answer of POST /v1/segmentations/refine in JSON. <paramref name="Mask"/>: the refined label map as a base64 8-bit
/// grey PNG, pixel value = class index. <paramref name="ChangedPixels"/>: pixels whose class differs from the input's
/// (the mask's class, or the most probable one; unknown pixels not counted). <paramref name="Raw"/> (raw=true): the
/// refined marginals Q as base64 little-endian float32, <paramref name="RawShape"/> C, H, W.
/// </summary>
public sealed record SegmentationRefineResponse(
    int Width,
    int Height,
    int Labels,
    string Input,
    float? Confidence,
    byte[] Mask,
    IReadOnlyList<SegmentClass> Classes,
    long ChangedPixels,
    byte[]? Raw,
    IReadOnlyList<int>? RawShape,
    RefineParameters Parameters,
    RefineTimings Timings);

/// <summary>One class of the refined mask: its pixel count and the smallest box holding them (null when it has none).</summary>
public sealed record SegmentClass(int Index, long Area, PixelBox? Box);

/// <summary>The CRF parameters used, named as in the query.</summary>
public sealed record RefineParameters(
    int Iterations, float SmoothnessSigma, float SmoothnessWeight, float AppearanceSigma, float AppearanceIntensitySigma, float AppearanceWeight)
{
    public static RefineParameters From(DenseCrfParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Iterations, p.SmoothnessTheta, p.SmoothnessWeight, p.AppearancePositionTheta, p.AppearanceIntensityTheta, p.AppearanceWeight);
    }
}

/// <summary>Lattice: building the permutohedral lattices for the image; inference: the mean-field iterations.</summary>
public sealed record RefineTimings(double LatticeMilliseconds, double InferenceMilliseconds, double TotalMilliseconds);
