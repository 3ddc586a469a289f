using ExplainApi.Core.Models;
using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>
/// The ONNX contract of every classifier we export, which serving reads: inputs <see cref="Input"/> float32 [N,C,H,W]
/// and <see cref="Target"/> int64 [N] (the class whose logit is differentiated per item; negative = the predicted
/// class); outputs <see cref="Logits"/>, <see cref="Probabilities"/>, <see cref="Activations"/> (the CAM target
/// layer), <see cref="TargetClass"/> (the resolved target), <see cref="GradActivations"/> = ∂y_c/∂A and
/// <see cref="GradInput"/> = ∂y_c/∂x; metadata_props <c>target_layer</c>, <c>head</c>, <c>head_weight</c>,
/// <c>head_bias</c>. An architecture's exporter calls <see cref="Begin"/>, adds its forward ops, then <see cref="Finish"/>.
/// </summary>
public static class ClassifierOnnxContract
{
    public const string Input = "input", Target = "target", Logits = "logits", Probabilities = "probabilities", Activations = "activations",
        TargetClass = "target_class", GradActivations = "grad_activations", GradInput = "grad_input";

    /// <summary>metadata_props keys.</summary>
    public const string TargetLayerKey = "target_layer", HeadKey = "head", HeadWeightKey = "head_weight", HeadBiasKey = "head_bias";

    /// <summary>The <c>head</c> value of a global-average-pooling → linear head (CAM's w_k = W[c, k] applies).</summary>
    public const string GapLinearHead = "gap-linear";

    /// <summary>A graph with the <see cref="Input"/> [N, <paramref name="inputDims"/>…] and <see cref="Target"/> inputs.</summary>
    public static DifferentiableGraph Begin(string graphName, params long[] inputDims)
    {
        var graph = new DifferentiableGraph(graphName);
        graph.Input(Input, inputDims);
        graph.Builder.AddInput(Target, TensorProto.Types.DataType.Int64);
        return graph;
    }

    /// <summary>
    /// Adds the probabilities (Softmax over the classes, or one Sigmoid per class for a multi-label model), the target resolution, the backward graph of the target logit and the outputs and metadata; the
    /// forward ops must have produced tensors named <see cref="Activations"/> and <see cref="Logits"/> [N, classes].
    /// </summary>
    /// <param name="head">The head's form (e.g. <see cref="GapLinearHead"/>) and its weight and bias initializers, or null when it has none CAM can use.</param>
    public static byte[] Finish(
        DifferentiableGraph graph, string targetLayer, (string Kind, string Weight, string Bias)? head, OutputActivation activation = OutputActivation.Softmax)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var classes = graph.ShapeOf(Logits) is [var count] ? count : throw new ArgumentException($"'{Logits}' must be [N, classes].", nameof(graph));
        _ = activation == OutputActivation.Sigmoid ? graph.Sigmoid(Logits, Probabilities) : graph.Softmax(Logits, axis: 1, Probabilities);

        // target_class = target where target ≥ 0, else ArgMax(logits) (the first maximum, as torch.argmax).
        var builder = graph.Builder;
        builder.AddInitializer("target.zero", [0L]);
        builder.AddNode("ArgMax", [Logits], ["predicted_class"], OnnxGraphBuilder.IntAttribute("axis", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0));
        builder.AddNode("Less", [Target, "target.zero"], ["target.is_predicted"]);
        builder.AddNode("Where", ["target.is_predicted", "predicted_class", Target], [TargetClass]);

        // Seeding the logits with one-hot(c_n) pulls back Σ_n y_{n,c_n}; items are independent in eval mode, so each
        // item's slice of the gradient is its own ∂y_c/∂·.
        var seed = graph.OneHot(TargetClass, classes, "target_one_hot");
        var gradients = graph.EmitBackward(Logits, seed, [Activations, Input]);

        graph.Output(Logits, Logits);
        graph.Output(Probabilities, Probabilities);
        graph.Output(Activations, Activations);
        builder.AddOutput(TargetClass, TensorProto.Types.DataType.Int64);
        graph.Output(gradients[0], GradActivations);
        graph.Output(gradients[1], GradInput);
        builder.AddMetadata(TargetLayerKey, targetLayer);
        if (head is var (kind, weight, bias))
        {
            builder.AddMetadata(HeadKey, kind);
            builder.AddMetadata(HeadWeightKey, weight);
            builder.AddMetadata(HeadBiasKey, bias);
        }
        return builder.ToBytes();
    }
}
