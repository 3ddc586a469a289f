using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Export;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// The ONNX form (<see cref="DifferenceDetectorOnnxContract"/>) of static SSDD's segmenter features and
/// <see cref="DifferenceDetector"/> in eval mode, as <see cref="StaticSsdd"/> runs them before integrating: the segmenter's
/// trunk once, then the detector's shared features, then one detect branch per mask (the same weights, as in training).
/// </summary>
public static class DifferenceDetectorOnnx
{
    public static byte[] Export(UNetSegmenter segmenter, DifferenceDetector detector, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(detector);
        var graph = DifferenceDetectorOnnxContract.Begin("ssdd_difference_detector", segmenter.Channels, detector.Classes, height, width);
        var (early, head) = SegmenterOnnx.AddTrunk(graph, segmenter, DifferenceDetectorOnnxContract.Input);
        var (features, detect, logit) = detector.Stages;
        var shared = TorchLayers.Add(graph, "detector.features", features, graph.Concat([head, early], 1, "detector.cat"));
        // Initializer names are unique, so each branch carries its own copy of the (small) shared detect weights.
        string Branch(string mask) => TorchLayers.Add(graph, $"detector.{mask}.logit", logit,
            TorchLayers.Add(graph, $"detector.{mask}.detect", detect, graph.Concat([shared, mask], 1, $"detector.{mask}.cat")));
        return DifferenceDetectorOnnxContract.Finish(graph, Branch(DifferenceDetectorOnnxContract.Knowledge), Branch(DifferenceDetectorOnnxContract.Advice));
    }
}
