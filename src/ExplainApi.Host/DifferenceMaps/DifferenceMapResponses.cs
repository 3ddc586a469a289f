using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Models;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>How the PNG answer draws one image's map: over the image, the signed map alone (16-bit grey) or the translation.</summary>
public enum DifferenceMapRender
{
    Overlay,
    Map,
    Translated,
}

/// <summary>Builds the JSON and PNG answers of the difference-map route from a run.</summary>
public static class DifferenceMapResponses
{
    /// <summary>The response header that gives the 16-bit map's scale: level 65535 ↦ +scale, 32768 ↦ 0, 1 ↦ −scale.</summary>
    public const string ScaleHeader = "Difference-Map-Scale";

    public static DifferenceMapResponse Json(ModelManifest manifest, DifferenceDirection direction, IReadOnlyList<ImageTensor> images, DifferenceMapRun run,
        LinkedClassifier classifier, ColorMap? colors, bool raw, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(run);
        var spec = manifest.Input;
        var sign = DifferenceMapDisplay.Sign(manifest.DifferenceMap!.Method);
        var classes = classifier.ClassNames;
        IReadOnlyList<ClassProbability>? Probabilities(double[]? p) => p?.Select((v, i) => new ClassProbability(i, classes[i], v)).ToList();
        var items = run.Items.Select((item, n) =>
        {
            var image = images[n];
            var plane = DifferenceMapDisplay.Plane(item.Map, spec.Channels, spec.Height, spec.Width, sign);
            var scale = plane.Where(float.IsFinite).Select(Math.Abs).DefaultIfEmpty(0f).Max();
            return new DifferenceMapImage(n,
                DifferenceMapRenderer.DivergingPng(plane, spec.Height, spec.Width, image.Height, image.Width, colors), [image.Height, image.Width], scale,
                raw ? RawFloat32.Encode(item.Map, spec.Channels, spec.Height, spec.Width).Bytes : null, [spec.Channels, spec.Height, spec.Width],
                DifferenceMapRenderer.ModelImagePng(item.Translated, spec.Channels, spec.Height, spec.Width, spec.Normalization),
                Probabilities(item.OriginalProbabilities), Probabilities(item.TranslatedProbabilities),
                item.OriginalClass is { } from ? classes[from] : null, item.TranslatedClass is { } to ? classes[to] : null, item.ClassFlipped);
        }).ToList();
        return new DifferenceMapResponse(manifest.Name, manifest.Version, direction, sign, DifferenceMapDisplay.Describe(sign), items, classifier.View, manifest,
            new DifferenceMapTimings(run.TranslateMilliseconds, run.ClassifyMilliseconds, totalMilliseconds));
    }

    /// <summary>One PNG of the first image; <paramref name="scale"/> is set for <see cref="DifferenceMapRender.Map"/>.</summary>
    public static byte[] Png(ModelManifest manifest, ImageTensor image, DifferenceMapItem item, DifferenceMapRender render, ColorMap? colors, out float? scale)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(item);
        var spec = manifest.Input;
        var plane = DifferenceMapDisplay.Plane(item.Map, spec.Channels, spec.Height, spec.Width, DifferenceMapDisplay.Sign(manifest.DifferenceMap!.Method));
        scale = null;
        switch (render)
        {
            case DifferenceMapRender.Map:
                var png = DifferenceMapRenderer.SignedGrey16Png(plane, spec.Height, spec.Width, image.Height, image.Width, out var s);
                scale = s;
                return png;
            case DifferenceMapRender.Translated:
                return DifferenceMapRenderer.ModelImagePng(item.Translated, spec.Channels, spec.Height, spec.Width, spec.Normalization);
            default:
                return OverlayRenderer.RenderPng(image, plane, spec.Height, spec.Width,
                    new OverlayOptions { ColorMap = colors ?? ColorMap.CoolWarm, Scaling = HeatmapScaling.Symmetric });
        }
    }
}
