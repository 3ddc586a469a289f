using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Host.Segmentation;

/// <summary>Label maps at the uploaded images' sizes, and the JSON answer built from them.</summary>
public static class SegmentResponses
{
    /// <summary>
    /// Per image the argmax of its probabilities [K, H, W] at the model's size, resized nearest-neighbour to the image's
    /// size (so every label is one the model predicted; the probabilities are not interpolated).
    /// </summary>
    public static IReadOnlyList<byte[]> Labels(float[] probabilities, IReadOnlyList<ImageTensor> images, int classes, ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(spec);
        var item = classes * spec.Height * spec.Width;
        return [.. images.Select((image, n) => LabelMap.ResizeNearest(
            LabelMap.ArgMax(probabilities.AsSpan(n * item, item), classes, spec.Height, spec.Width), spec.Height, spec.Width, image.Height, image.Width))];
    }

    public static SegmentResponse Json(ModelManifest manifest, IReadOnlyList<ImageTensor> images, IReadOnlyList<byte[]> labels,
        double segmentMilliseconds, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(images);
        var names = manifest.Segmentation!.ClassNames;
        var items = images.Select((image, n) =>
        {
            var (h, w) = (image.Height, image.Width);
            var classes = LabelMap.Regions(labels[n], w, names.Count).Skip(1)
                .Select(r => new SegmentedClass(r.ClassIndex, names[r.ClassIndex], r.Area, r.BoundingBox,
                    Convert.ToBase64String(LabelMapRenderer.MaskPng(labels[n], h, w, r.ClassIndex))))
                .ToList();
            return new SegmentedImage(n, [h, w], h != manifest.Input.Height || w != manifest.Input.Width,
                Convert.ToBase64String(LabelMapRenderer.LabelsPng(labels[n], h, w)),
                Convert.ToBase64String(LabelMapRenderer.OverlayPng(image, labels[n])), classes);
        }).ToList();
        return new SegmentResponse(manifest.Name, manifest.Version, names, items, manifest, new SegmentTimings(segmentMilliseconds, totalMilliseconds));
    }
}
