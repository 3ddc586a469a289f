using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Graph;

/// <summary>Lookups over a graph's nodes: who produces a tensor, which nodes an output needs, what a set of nodes reads.</summary>
internal static class GraphIndex
{
    /// <summary>Tensor name → index of the node that produces it.</summary>
    public static Dictionary<string, int> Producers(GraphProto graph)
    {
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var output in graph.Node[i].Output.Where(o => o.Length > 0))
            {
                producers[output] = i;
            }
        }

        return producers;
    }

    /// <summary>Indices of the nodes that <paramref name="outputs"/> transitively depend on, not walking past <paramref name="stopAt"/>.</summary>
    public static HashSet<int> NodesNeededFor(GraphProto graph, IEnumerable<string> outputs, string? stopAt)
    {
        var producers = Producers(graph);
        var needed = new HashSet<int>();
        var pending = new Stack<string>(outputs);
        while (pending.TryPop(out var name))
        {
            if (name == stopAt || !producers.TryGetValue(name, out var index) || !needed.Add(index))
            {
                continue;
            }

            foreach (var input in Reads(graph.Node[index]))
            {
                pending.Push(input);
            }
        }

        return needed;
    }

    /// <summary>Every tensor name the nodes read, including names used inside their subgraphs (If, Loop, Scan bodies).</summary>
    public static HashSet<string> NamesReadBy(IEnumerable<NodeProto> nodes) =>
        nodes.SelectMany(Reads).ToHashSet(StringComparer.Ordinal);

    /// <summary>A float32 value [N, dims…] with the symbolic batch dimension.</summary>
    public static ValueInfoProto BatchedFloat(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = Export.OnnxGraphBuilder.BatchDimension });
        shape.Dim.Add(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        var type = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }

    private static IEnumerable<string> Reads(NodeProto node) =>
        node.Input.Where(i => i.Length > 0).Concat(node.Attribute
            .SelectMany(a => a.Graphs.Append(a.G).OfType<GraphProto>())
            .SelectMany(g => g.Node.SelectMany(Reads)));
}
