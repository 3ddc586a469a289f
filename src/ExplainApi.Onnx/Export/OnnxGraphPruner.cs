using ExplainApi.Onnx.Proto;
using Google.Protobuf;

namespace ExplainApi.Onnx.Export;

/// <summary>
/// Cuts a model down to what some of its outputs need. ONNX Runtime runs every node of a session's graph whatever
/// outputs a run asks for (measured: a ResNet classifier's logits alone cost as much as logits plus both gradients),
/// so forward-only work (occlusion, RISE, Score-CAM) should run on a session of the pruned forward graph.
/// </summary>
public static class OnnxGraphPruner
{
    /// <summary>
    /// The model with only the nodes, initializers and graph inputs on which <paramref name="outputs"/> depend (e.g.
    /// logits and probabilities: the <c>target</c> input and the backward graph go); metadata and opsets are kept.
    /// </summary>
    public static byte[] Prune(byte[] model, IReadOnlyCollection<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var parsed = ModelProto.Parser.ParseFrom(model);
        var graph = parsed.Graph;
        var missing = outputs.FirstOrDefault(o => graph.Output.All(g => g.Name != o));
        if (missing is not null)
        {
            throw new ArgumentException($"The model has no output '{missing}'.", nameof(outputs));
        }
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse()) // nodes are topologically sorted, so consumers come first in reverse
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input.Where(i => i.Length > 0));
            }
        }
        var pruned = new GraphProto { Name = graph.Name, DocString = graph.DocString };
        pruned.Node.Add(Enumerable.Reverse(kept));
        pruned.Initializer.Add(graph.Initializer.Where(i => needed.Contains(i.Name)));
        pruned.Input.Add(graph.Input.Where(i => needed.Contains(i.Name)));
        pruned.Output.Add(graph.Output.Where(o => outputs.Contains(o.Name)));
        pruned.ValueInfo.Add(graph.ValueInfo.Where(v => needed.Contains(v.Name)));
        parsed.Graph = pruned;
        return parsed.ToByteArray();
    }
}
