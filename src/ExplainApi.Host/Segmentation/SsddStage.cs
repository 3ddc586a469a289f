using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Segmentation;

/// <summary>The ssdd stage of /segment: the version's static-SSDD difference detector, or why it has none (409).</summary>
public static class SsddStage
{
    public static (DifferenceDetectorGraph? Detector, ProblemHttpResult? Problem) Resolve(ModelManifest manifest, SegmentationAdapter adapter, LoadedModel classifier)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(classifier);
        var model = $"Model '{manifest.Name}' version {manifest.Version}";
        if (adapter.Detector is not { } detector)
        {
            return (null, StageClassifier.Unavailable(
                $"{model} has no SSDD difference-detector graph: only versions trained with masks \"ssdd\" and ssddVariant \"static\" export one (this one was trained on {adapter.Section.Masks} masks). Stages it serves: {string.Join(", ", adapter.Section.ServedStages)}."));
        }

        // The seeds are made at the classifier's size and the detector reads them at the segmenter's: training had one size for both.
        var (c, s) = (classifier.Manifest.Input, manifest.Input);
        return c.Height != s.Height || c.Width != s.Width
            ? (null, StageClassifier.Unavailable($"{model}: its linked classifier takes {c.Width}×{c.Height} images, its difference detector {s.Width}×{s.Height}."))
            : (detector, null);
    }

    /// <summary>The detector on one request's segmenter inputs, K and A mapped from the classifier's label values by <paramref name="lookup"/>.</summary>
    public static IDifferenceDetector On(DifferenceDetectorGraph graph, IReadOnlyList<float[]> inputs, byte[] lookup) => new Served(graph, inputs, lookup);

    private sealed class Served(DifferenceDetectorGraph graph, IReadOnlyList<float[]> inputs, byte[] lookup) : IDifferenceDetector
    {
        public (float[][] Knowledge, float[][] Advice) Detect(IReadOnlyList<byte[]> knowledge, IReadOnlyList<byte[]> advice) =>
            graph.Detect(inputs, [.. knowledge.Select(Map)], [.. advice.Select(Map)]);

        private byte[] Map(byte[] mask) => [.. mask.Select(k => lookup[k])];
    }
}
