namespace ExplainApi.Onnx.Export;

/// <summary>
/// The ONNX contract of every difference-map generator we export (VA-GAN, CycleGAN), which serving reads: float32
/// input <see cref="Input"/> [N,C,H,W] in the dataset's normalisation (squares: [−1, 1]) and float32 output
/// <see cref="Translated"/> [N,C,H,W], the image translated to the other class. The difference map is
/// translated − input, computed by the serving side, not in the graph. Optional metadata_props name the direction's
/// classes. An architecture's exporter calls <see cref="Begin"/>, adds its forward ops, then <see cref="Finish"/>.
/// </summary>
public static class DifferenceMapOnnxContract
{
    public const string Input = "input", Translated = "translated";

    /// <summary>metadata_props keys: the class the input belongs to and the class it is translated to.</summary>
    public const string FromClassKey = "from_class", ToClassKey = "to_class";

    /// <summary>A graph with the float input <see cref="Input"/> [N, C, H, W].</summary>
    public static DifferentiableGraph Begin(string graphName, long channels, long height, long width)
    {
        var graph = new DifferentiableGraph(graphName);
        graph.Input(Input, channels, height, width);
        return graph;
    }

    /// <summary>Publishes <paramref name="translated"/> (which must have the input's shape) as <see cref="Translated"/>.</summary>
    public static byte[] Finish(DifferentiableGraph graph, string translated, string? fromClass = null, string? toClass = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!graph.ShapeOf(translated).SequenceEqual(graph.ShapeOf(Input)))
        {
            throw new ArgumentException($"'{translated}' must have the input's shape [{string.Join(", ", graph.ShapeOf(Input))}].", nameof(translated));
        }
        graph.Output(translated, Translated);
        if (fromClass is not null)
        {
            graph.Builder.AddMetadata(FromClassKey, fromClass);
        }
        if (toClass is not null)
        {
            graph.Builder.AddMetadata(ToClassKey, toClass);
        }
        return graph.Builder.ToBytes();
    }
}
