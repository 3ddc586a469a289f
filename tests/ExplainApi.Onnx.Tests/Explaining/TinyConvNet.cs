using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using Google.Protobuf;
using static ExplainApi.Onnx.Export.OnnxGraphBuilder;

namespace ExplainApi.Onnx.Tests.Explaining;

/// <summary>
/// A seeded 1×8×8 → Conv(2, 3×3, pad 1) → ReLU → GAP → Linear(3) classifier built with <see cref="OnnxGraphBuilder"/>,
/// in the two forms serving meets: <see cref="Exported"/> follows our exporter's contract (target input, activations,
/// target_class and the backward graph: ∂y_c/∂A = W_fc[c]/(h·w), ∂y_c/∂x = ConvTranspose(ReLU mask ⊙ ∂y_c/∂A));
/// <see cref="Imported"/> is the plain forward graph a user would upload, with the ReLU output named <see cref="ImportedTensor"/>.
/// Shared with the host tests.
/// </summary>
public static class TinyConvNet
{
    public const int Channels = 1, Size = 8, Kernels = 2, Classes = 3;
    public const string ImportedTensor = "features.relu";

    public static readonly float[] ConvWeight = [0.5f, -0.25f, 0.1f, 0.3f, 0.8f, 0.3f, 0.1f, -0.25f, 0.5f, -0.4f, 0.2f, 0.6f, 0.2f, -0.7f, 0.2f, 0.6f, 0.2f, -0.4f];
    public static readonly float[] ConvBias = [0.05f, 0.1f];
    public static readonly float[] FcWeight = [1.5f, -0.5f, -1f, 2f, 0.25f, 0.25f];
    public static readonly float[] FcBias = [0.1f, -0.2f, 0f];

    public static byte[] Exported(bool nanLogits = false)
    {
        var g = Forward("activations", nanLogits);
        g.AddInput("target"); // retyped to int64 below: the builder only declares float inputs
        g.AddInitializer("zero", [0L]);
        g.AddInitializer("positions", [(float)(Size * Size)]);
        g.AddInitializer("axes23", [2L, 3L], 2);
        g.AddNode("ArgMax", ["logits"], ["predicted"], IntAttribute("axis", 1), IntAttribute("keepdims", 0));
        g.AddNode("Less", ["target", "zero"], ["is_predicted"]);
        g.AddNode("Where", ["is_predicted", "predicted", "target"], ["target_class"]);
        g.AddNode("Gather", ["fc.weight", "target_class"], ["w_c"], IntAttribute("axis", 0));
        g.AddNode("Unsqueeze", ["w_c", "axes23"], ["w_c4"]);
        g.AddNode("Div", ["w_c4", "positions"], ["g_per_position"]);
        g.AddNode("Shape", ["activations"], ["activation_shape"]);
        g.AddNode("Expand", ["g_per_position", "activation_shape"], ["grad_activations"]);
        g.AddNode("Greater", ["conv", "zero_f"], ["positive"]);
        g.AddNode("Cast", ["positive"], ["relu_mask"], IntAttribute("to", (long)TensorProto.Types.DataType.Float));
        g.AddNode("Mul", ["grad_activations", "relu_mask"], ["grad_conv"]);
        g.AddNode("ConvTranspose", ["grad_conv", "conv.weight"], ["grad_input"], IntsAttribute("pads", 1, 1, 1, 1));
        g.AddOutput("activations", Kernels, Size, Size);
        g.AddOutput("target_class");
        g.AddOutput("grad_activations", Kernels, Size, Size);
        g.AddOutput("grad_input", Channels, Size, Size);
        g.AddMetadata("target_layer", "features");
        g.AddMetadata("head", "gap-linear");
        g.AddMetadata("head_weight", "fc.weight");
        g.AddMetadata("head_bias", "fc.bias");
        var model = g.Build();
        SetInt64(model.Graph.Input.Single(i => i.Name == "target"));
        var targetClass = model.Graph.Output.Single(o => o.Name == "target_class");
        SetInt64(targetClass);
        targetClass.Type.TensorType.Shape.Dim.Clear();
        targetClass.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        return model.ToByteArray();
    }

    /// <summary>The forward graph only, no metadata, the target layer an unnamed-as-output intermediate tensor.</summary>
    public static byte[] Imported() => Forward(ImportedTensor, nanLogits: false).ToBytes("a user's exporter");

    /// <summary>Like <see cref="Imported"/>, but the logits also read the input directly (a skip past the target tensor).</summary>
    public static byte[] ImportedWithSkip()
    {
        var g = Builder(ImportedTensor);
        g.AddNode("GlobalAveragePool", [ImportedTensor], ["pooled"]);
        g.AddNode("GlobalAveragePool", ["input"], ["pooled_input"]);
        g.AddNode("Add", ["pooled", "pooled_input"], ["pooled_sum"]);
        g.AddNode("Flatten", ["pooled_sum"], ["features"], IntAttribute("axis", 1));
        g.AddNode("Gemm", ["features", "fc.weight", "fc.bias"], ["logits"], IntAttribute("transB", 1));
        g.AddOutput("logits", Classes);
        return g.ToBytes();
    }

    /// <summary>logits of the net computed directly (for checks), one 1×8×8 image.</summary>
    public static (float[] Logits, float[] Activations) Reference(float[] image)
    {
        var activations = new float[Kernels * Size * Size];
        for (var k = 0; k < Kernels; k++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var sum = ConvBias[k];
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            var (yy, xx) = (y + dy, x + dx);
                            if (yy is >= 0 and < Size && xx is >= 0 and < Size)
                            {
                                sum += ConvWeight[(k * 9) + ((dy + 1) * 3) + dx + 1] * image[(yy * Size) + xx];
                            }
                        }
                    }

                    activations[(k * Size * Size) + (y * Size) + x] = Math.Max(0, sum);
                }
            }
        }

        var logits = new float[Classes];
        for (var c = 0; c < Classes; c++)
        {
            logits[c] = FcBias[c];
            for (var k = 0; k < Kernels; k++)
            {
                logits[c] += FcWeight[(c * Kernels) + k] * activations.AsSpan(k * Size * Size, Size * Size).ToArray().Average();
            }
        }

        return (logits, activations);
    }

    /// <summary>A seeded image in [−1, 1].</summary>
    public static float[] Image(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Channels * Size * Size).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    private static OnnxGraphBuilder Forward(string activations, bool nanLogits)
    {
        var g = Builder(activations);
        g.AddNode("GlobalAveragePool", [activations], ["pooled"]);
        g.AddNode("Flatten", ["pooled"], ["features"], IntAttribute("axis", 1));
        g.AddNode("Gemm", ["features", "fc.weight", "fc.bias"], [nanLogits ? "linear" : "logits"], IntAttribute("transB", 1));
        if (nanLogits)
        {
            g.AddInitializer("minus_ten", [-10f]);
            g.AddNode("Add", ["linear", "minus_ten"], ["shifted"]);
            g.AddNode("Sqrt", ["shifted"], ["logits"]); // √(negative) = NaN
        }

        g.AddNode("Softmax", ["logits"], ["probabilities"], IntAttribute("axis", 1));
        g.AddOutput("logits", Classes);
        g.AddOutput("probabilities", Classes);
        return g;
    }

    private static OnnxGraphBuilder Builder(string activations)
    {
        var g = new OnnxGraphBuilder("tiny_conv_net");
        g.AddInput("input", Channels, Size, Size);
        g.AddInitializer("conv.weight", ConvWeight, Kernels, Channels, 3, 3);
        g.AddInitializer("conv.bias", ConvBias, Kernels);
        g.AddInitializer("fc.weight", FcWeight, Classes, Kernels);
        g.AddInitializer("fc.bias", FcBias, Classes);
        g.AddInitializer("zero_f", [0f]);
        g.AddNode("Conv", ["input", "conv.weight", "conv.bias"], ["conv"], IntsAttribute("pads", 1, 1, 1, 1));
        g.AddNode("Relu", ["conv"], [activations]);
        return g;
    }

    private static void SetInt64(ValueInfoProto value) => value.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
}
