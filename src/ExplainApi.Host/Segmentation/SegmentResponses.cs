using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Host.Segmentation;

/// <summary>Label maps at the uploaded images' sizes, and the JSON answer built from them.</summary>
public static class SegmentResponses
{
    /// <summary>
    /// Per image its label map of <paramref name="height"/> × <paramref name="width"/> (the model's size), resized
    /// nearest-neighbour to the image's size (so every label is one the model predicted; probabilities are not interpolated).
    /// </summary>
    public static IReadOnlyList<byte[]> AtImageSizes(IReadOnlyList<byte[]> labels, IReadOnlyList<ImageTensor> images, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(images);
        return [.. images.Select((image, n) => LabelMap.ResizeNearest(labels[n], height, width, image.Height, image.Width))];
    }

    public static SegmentResponse Json(ModelManifest manifest, IReadOnlyList<ImageTensor> images, IReadOnlyList<byte[]> labels, bool refined,
        StageRun? stages, double segmentMilliseconds, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(images);
        var names = manifest.Segmentation!.ClassNames;
        var items = images.Select((image, n) =>
        {
            var (h, w) = (image.Height, image.Width);
            var classes = LabelMap.Regions(labels[n], w, names.Count).Skip(1)
                .Select(r => new SegmentedClass(r.ClassIndex, names[r.ClassIndex], r.Area, r.BoundingBox,
                    LabelMapRenderer.MaskPng(labels[n], h, w, r.ClassIndex)))
                .ToList();
            return new SegmentedImage(n, [h, w], h != manifest.Input.Height || w != manifest.Input.Width,
                LabelMapRenderer.LabelsPng(labels[n], h, w),
                LabelMapRenderer.OverlayPng(image, labels[n]), classes,
                stages?.ImageLabels[n], stages is null ? null : Stages(stages, n, image, names));
        }).ToList();
        return new SegmentResponse(manifest.Name, manifest.Version, names, refined ? SegmentQuery.Crf : SegmentQuery.None, items, manifest,
            new SegmentTimings(segmentMilliseconds, totalMilliseconds));
    }

    private static Dictionary<string, SegmentStageMasks> Stages(StageRun run, int n, ImageTensor image, IReadOnlyList<string> names) =>
        run.Masks.ToDictionary(s => s.Key, s =>
        {
            var mask = LabelMap.ResizeNearest(s.Value[n], run.Height, run.Width, image.Height, image.Width);
            var classes = LabelMap.Regions(mask, image.Width, names.Count).Skip(1)
                .Select(r => new SegmentStageClass(r.ClassIndex, names[r.ClassIndex], r.Area, r.BoundingBox)).ToList();
            return new SegmentStageMasks(LabelMapRenderer.LabelsPng(mask, image.Height, image.Width), classes);
        });
}
