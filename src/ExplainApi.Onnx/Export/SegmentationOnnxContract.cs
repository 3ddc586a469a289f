namespace ExplainApi.Onnx.Export;

/// <summary>
/// The ONNX contract of every segmentation network we export, which serving reads: float32 input <see cref="Input"/>
/// [N,C,H,W] in the dataset's normalisation; float32 outputs <see cref="Logits"/> [N,K,H,W] (K classes, background
/// first) and <see cref="Probabilities"/>, their softmax over K. No backward graph. An architecture's exporter calls
/// <see cref="Begin"/>, adds its forward ops, then <see cref="Finish"/>.
/// </summary>
public static class SegmentationOnnxContract
{
    public const string Input = "input", Logits = "logits", Probabilities = "probabilities";

    /// <summary>A graph with the float input <see cref="Input"/> [N, C, H, W].</summary>
    public static DifferentiableGraph Begin(string graphName, long channels, long height, long width)
    {
        var graph = new DifferentiableGraph(graphName);
        graph.Input(Input, channels, height, width);
        return graph;
    }

    /// <summary>Publishes <paramref name="logits"/> ([N, K, H, W] with the input's H and W) and their softmax over K.</summary>
    public static byte[] Finish(DifferentiableGraph graph, string logits)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var input = graph.ShapeOf(Input);
        if (graph.ShapeOf(logits) is not [>= 2, var height, var width] || height != input[1] || width != input[2])
        {
            throw new ArgumentException($"'{logits}' must be [N, K ≥ 2, {input[1]}, {input[2]}], not [N, {string.Join(", ", graph.ShapeOf(logits))}].", nameof(logits));
        }
        graph.Output(logits, Logits);
        graph.Output(graph.Softmax(logits, axis: 1, Probabilities), Probabilities);
        return graph.Builder.ToBytes();
    }
}
