using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Explaining;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Models;

/// <summary>Builds the JSON answer of the saliency route from a run.</summary>
public static class SaliencyResponses
{
    public static SaliencyResponse From(ServedModel served, IReadOnlyList<ImageTensor> images, SaliencyRun run, bool includeRaw, ulong seed, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(run);
        var manifest = served.Manifest;
        var classes = manifest.ClassNames;
        var spec = manifest.Input;
        var targetLayer = served.Model.TargetLayer;
        var result = run.Images.Select((item, n) =>
        {
            var image = images[n];
            var resized = image.Height != spec.Height || image.Width != spec.Width;
            var explanations = item.Maps.Select(timed =>
            {
                var map = timed.Map;
                var png = SaliencyRendering.Png(map, image, SaliencyRender.Map, null);
                var raw = includeRaw ? RawFloat32.Encode(map.Raw, map.Height, map.Width).Bytes : null;
                return new MethodExplanation(map.Method, png, [image.Height, image.Width], raw, [map.Height, map.Width],
                    map.IsSigned, map.Details, timed.Milliseconds,
                    new ExplanationManifest(ExplanationManifest.CurrentSchemaVersion, manifest.Name, manifest.Version, map.Method, targetLayer,
                        [spec.Channels, spec.Height, spec.Width], map.TargetClass, classes[map.TargetClass], spec.Normalization.Kind, resized, seed));
            }).ToList();
            var predictions = item.Probabilities.Select((p, i) => new ClassProbability(i, classes[i], p)).OrderByDescending(p => p.Probability).ToList();
            var target = new ClassProbability(item.TargetClass, classes[item.TargetClass], item.Probabilities[item.TargetClass]);
            return new ImageExplanation(n, predictions, target, explanations);
        }).ToList();
        return new SaliencyResponse(manifest.Name, manifest.Version, result, new SaliencyTimings(run.ForwardMilliseconds, run.GradientMilliseconds, totalMilliseconds));
    }
}
