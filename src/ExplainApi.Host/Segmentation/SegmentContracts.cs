using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The answer of POST /v1/models/{name}/segment in JSON: per uploaded image its label map, class masks and regions, with
/// the model's <paramref name="ClassNames"/> (index 0 background) and manifest.
/// </summary>
public sealed record SegmentResponse(
    string Model,
    int Version,
    IReadOnlyList<string> ClassNames,
    string Refine,
    IReadOnlyList<SegmentedImage> Images,
    ModelManifest Manifest,
    SegmentTimings Timings);

/// <summary>
/// One uploaded image (in upload order), everything at its own size (<paramref name="Shape"/> H, W; <paramref name="Resized"/>
/// when the model ran at another size and the labels were resized back, nearest-neighbour). <paramref name="Labels"/>: base64
/// 8-bit grey PNG whose level is the class index; <paramref name="Overlay"/>: base64 RGB PNG of the classes' colours over the
/// image; <paramref name="Classes"/>: every class but background. With <c>stages</c>: <paramref name="ImageLabels"/>, the
/// classes the linked classifier finds present (the seeds' image-level labels), and <paramref name="Stages"/>, per stage
/// asked for its masks; else both null.
/// </summary>
public sealed record SegmentedImage(
    int Index, IReadOnlyList<int> Shape, bool Resized, byte[] Labels, byte[] Overlay, IReadOnlyList<SegmentedClass> Classes,
    IReadOnlyList<string>? ImageLabels = null, IReadOnlyDictionary<string, SegmentStageMasks>? Stages = null);

/// <summary>
/// One pseudo-mask stage of one image at its size (nearest-neighbour from the classifier's): <paramref name="Labels"/>, a
/// base64 8-bit grey PNG of segmentation class indices, and every class but background with its area and box.
/// </summary>
public sealed record SegmentStageMasks(byte[] Labels, IReadOnlyList<SegmentStageClass> Classes);

public sealed record SegmentStageClass(int Index, string Name, long Area, PixelBox? BoundingBox);

/// <summary>One class in one image: its pixels (<paramref name="Area"/>), their bounding box (null when none) and a base64 8-bit grey PNG mask (255 inside).</summary>
public sealed record SegmentedClass(int Index, string Name, long Area, PixelBox? BoundingBox, byte[] Mask);

public sealed record SegmentTimings(double SegmentMilliseconds, double TotalMilliseconds);
