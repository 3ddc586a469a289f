using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Graph;

/// <summary>
/// Edits of an ONNX graph for serving explanations, on our protobuf classes (the model is never changed in place):
/// expose an intermediate tensor as an extra output (imported models) and cut the head after the target tensor
/// into a graph of its own (Ablation-CAM). Pruning to some outputs is the exporter's <see cref="Export.OnnxGraphPruner"/>.
/// Node order is kept, so a topologically sorted graph stays so.
/// </summary>
public static class OnnxGraphSurgery
{
    /// <summary>The model with <paramref name="tensor"/> (an intermediate value) added as a graph output without type, so ONNX Runtime infers it.</summary>
    /// <exception cref="ArgumentException">No node produces <paramref name="tensor"/>.</exception>
    public static ModelProto ExposeOutput(ModelProto model, string tensor)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = model.Clone();
        if (result.Graph.Output.Any(o => o.Name == tensor))
        {
            return result;
        }

        if (!GraphIndex.Producers(result.Graph).ContainsKey(tensor))
        {
            throw new ArgumentException($"No node of the graph produces a tensor named '{tensor}'.", nameof(tensor));
        }

        result.Graph.Output.Add(new ValueInfoProto { Name = tensor });
        return result;
    }

    /// <summary>
    /// The head: the nodes between <paramref name="tensor"/> and <paramref name="logits"/> as a model whose only input
    /// is <paramref name="tensor"/> (float32 [N, K, h, w]). It exists only when everything after the tensor depends
    /// on the tensor and on initializers (or constants) alone; otherwise (a skip connection from earlier layers, a
    /// shape read from the input) the reason is returned instead.
    /// </summary>
    public static (ModelProto? Head, string? Reason) CutHead(ModelProto model, string tensor, string logits, long[] activationShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(activationShape);
        var graph = model.Graph;
        var needed = GraphIndex.NodesNeededFor(graph, [logits], stopAt: tensor);
        var kept = graph.Node.Where((_, i) => needed.Contains(i)).ToList();
        var produced = kept.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var foreign = GraphIndex.NamesReadBy(kept).FirstOrDefault(n => n.Length > 0 && n != tensor && !produced.Contains(n) && !initializers.Contains(n));
        if (foreign is not null)
        {
            return (null, $"the layers after '{tensor}' also read '{foreign}', which is not computed from '{tensor}' and initializers alone");
        }

        if (!GraphIndex.NamesReadBy(kept).Contains(tensor))
        {
            return (null, $"'{logits}' does not depend on '{tensor}'");
        }

        var result = model.Clone();
        var used = GraphIndex.NamesReadBy(kept).Append(logits).ToHashSet(StringComparer.Ordinal);
        var output = graph.Output.FirstOrDefault(o => o.Name == logits)?.Clone() ?? new ValueInfoProto { Name = logits };
        Replace(result.Graph, [.. kept.Select(n => n.Clone())], [GraphIndex.BatchedFloat(tensor, activationShape[1..])], [output], used);
        return (result, null);
    }

    private static void Replace(GraphProto graph, List<NodeProto> nodes, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs, HashSet<string> used)
    {
        var initializers = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        var valueInfo = graph.ValueInfo.Where(v => used.Contains(v.Name)).ToList();
        graph.Node.Clear();
        graph.Node.Add(nodes);
        graph.Input.Clear();
        graph.Input.Add(inputs);
        graph.Output.Clear();
        graph.Output.Add(outputs);
        graph.Initializer.Clear();
        graph.Initializer.Add(initializers);
        graph.ValueInfo.Clear();
        graph.ValueInfo.Add(valueInfo);
    }
}
