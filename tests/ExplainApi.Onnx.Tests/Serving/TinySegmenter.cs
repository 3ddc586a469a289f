using ExplainApi.Onnx.Export;

namespace ExplainApi.Onnx.Tests.Serving;

/// <summary>
/// A one-channel segmenter small enough to reason about, in the segmentation contract: a 1×1 conv to K = 3 logits
/// (0, 4(x − ½), 4(−x − ½)), so a pixel is class 1 where x &gt; ½, class 2 where x &lt; −½ and background otherwise.
/// </summary>
public static class TinySegmenter
{
    public static IReadOnlyList<string> ClassNames { get; } = ["background", "bright", "dark"];

    public static byte[] Build(int size, string output = SegmentationOnnxContract.Probabilities)
    {
        var graph = SegmentationOnnxContract.Begin("tiny_segmenter", 1, size, size);
        var logits = graph.Conv("head", SegmentationOnnxContract.Input, [0f, 4f, -4f], [3, 1, 1, 1], [0f, -2f, -2f], ConvolutionGeometry.Symmetric([1, 1], [1, 1], [0, 0]));
        if (output == SegmentationOnnxContract.Probabilities)
        {
            return SegmentationOnnxContract.Finish(graph, logits);
        }
        graph.Output(logits, output);
        return graph.Builder.ToBytes();
    }

    /// <summary>The class of a normalised input value.</summary>
    public static int ClassOf(float x) => x > 0.5f ? 1 : x < -0.5f ? 2 : 0;
}
