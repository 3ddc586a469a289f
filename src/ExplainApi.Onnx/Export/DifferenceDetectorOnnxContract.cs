namespace ExplainApi.Onnx.Export;

/// <summary>
/// The ONNX contract of static SSDD's difference detector with the segmenter features it reads (Shimoda and Yanai, ICCV 2019,
/// §3.2), which serving reads: float32 inputs <see cref="Input"/> [N, C, H, W] (as the segmenter's), one-hot
/// <see cref="Knowledge"/> and <see cref="Advice"/> [N, K, H, W]; float32 outputs <see cref="KnowledgeLogits"/> and
/// <see cref="AdviceLogits"/> [N, 1, H, W]. Both masks in one graph so the features are computed once per image.
/// </summary>
public static class DifferenceDetectorOnnxContract
{
    public const string Input = SegmentationOnnxContract.Input, Knowledge = "knowledge", Advice = "advice",
        KnowledgeLogits = "knowledge_logits", AdviceLogits = "advice_logits";

    public static DifferentiableGraph Begin(string graphName, long channels, long classes, long height, long width)
    {
        var graph = new DifferentiableGraph(graphName);
        graph.Input(Input, channels, height, width);
        graph.Input(Knowledge, classes, height, width);
        graph.Input(Advice, classes, height, width);
        return graph;
    }

    /// <summary>Publishes both logit maps ([N, 1, H, W] with the input's H and W).</summary>
    public static byte[] Finish(DifferentiableGraph graph, string knowledgeLogits, string adviceLogits)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var input = graph.ShapeOf(Input);
        foreach (var logits in new[] { knowledgeLogits, adviceLogits })
        {
            if (graph.ShapeOf(logits) is not [1, var height, var width] || height != input[1] || width != input[2])
            {
                throw new ArgumentException($"'{logits}' must be [N, 1, {input[1]}, {input[2]}], not [N, {string.Join(", ", graph.ShapeOf(logits))}].", nameof(graph));
            }
        }
        graph.Output(knowledgeLogits, KnowledgeLogits);
        graph.Output(adviceLogits, AdviceLogits);
        return graph.Builder.ToBytes();
    }
}
