namespace ExplainApi.Onnx.Export;

/// <summary>Element-wise activations and Softmax; each backward is the formula PyTorch's autograd uses.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = max(x, 0). Backward: ∂L/∂x = ∂L/∂y where y &gt; 0, else 0. On [C, H, W] tensors as ∂L/∂y ⊙ mask with mask =
    /// Clip(y · 2¹²⁶, 0, 1), the scaling a depthwise 1×1 Conv: ONNX Runtime fuses Conv + Clip into one convolution of its
    /// blocked NCHWc layout and keeps the Mul there too, where Greater + Where made it reorder y and ∂L/∂y to NCHW and
    /// back around every ReLU (issue 11). Exact for y = 0 and every normal y &gt; 0 (y · 2¹²⁶ ≥ 1, or +∞, clips to 1).
    /// </summary>
    public string Relu(string x, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var y = Node("Relu", [x], output ?? $"{x}.relu", shape);
        Record(y, [x], (g, _) =>
        {
            if (shape.Length != 3)
            {
                return Node("Where", [Node("Greater", [y, Scalar(0)], $"{y}.positive", shape), g, Scalar(0)], $"grad/{x}", shape);
            }
            var scaled = DepthwiseScale(y, MathF.ScaleB(1f, 126), $"{y}.mask_scale", $"{y}.scaled");
            return Node("Mul", [g, Node("Clip", [scaled, Scalar(0), Scalar(1)], $"{y}.mask", shape)], $"grad/{x}", shape);
        });
        return y;
    }

    /// <summary>
    /// <paramref name="factor"/> · x on a [C, H, W] tensor as a depthwise 1×1 Conv (weights <c>{weightName}</c>): the form of
    /// a scaling or copy that ONNX Runtime runs in its blocked NCHWc layout (a Mul by a scalar makes it reorder to NCHW).
    /// </summary>
    private string DepthwiseScale(string x, float factor, string weightName, string output)
    {
        var shape = ShapeOf(x).ToArray();
        var channels = shape[0];
        var weight = Weight(weightName, Enumerable.Repeat(factor, (int)channels).ToArray(), [channels, 1, 1, 1]);
        return Node("Conv", [x, weight], output, shape, OnnxGraphBuilder.IntsAttribute("kernel_shape", 1, 1), OnnxGraphBuilder.IntAttribute("group", channels));
    }

    /// <summary>y = x for x &gt; 0, αx otherwise. Backward: ∂L/∂y where x &gt; 0, else α·∂L/∂y.</summary>
    public string LeakyRelu(string x, float alpha, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var y = Node("LeakyRelu", [x], output ?? $"{x}.leaky_relu", shape, OnnxGraphBuilder.FloatAttribute("alpha", alpha));
        Record(y, [x], (g, _) =>
        {
            var positive = Node("Greater", [x, Scalar(0)], $"{x}.positive", shape);
            return Node("Where", [positive, g, Node("Mul", [g, Scalar(alpha)], $"{g}.scaled", shape)], $"grad/{x}", shape);
        });
        return y;
    }

    /// <summary>y = tanh x. Backward: ∂L/∂x = ∂L/∂y · (1 − y²).</summary>
    public string Tanh(string x, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var y = Node("Tanh", [x], output ?? $"{x}.tanh", shape);
        Record(y, [x], (g, _) =>
        {
            var slope = Node("Sub", [Scalar(1), Node("Mul", [y, y], $"{y}.squared", shape)], $"{y}.slope", shape);
            return Node("Mul", [g, slope], $"grad/{x}", shape);
        });
        return y;
    }

    /// <summary>y = 1 / (1 + e^−x). Backward: ∂L/∂x = ∂L/∂y · (1 − y) · y.</summary>
    public string Sigmoid(string x, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var y = Node("Sigmoid", [x], output ?? $"{x}.sigmoid", shape);
        Record(y, [x], (g, _) =>
        {
            var complement = Node("Sub", [Scalar(1), y], $"{y}.complement", shape);
            return Node("Mul", [Node("Mul", [g, complement], $"{g}.scaled", shape), y], $"grad/{x}", shape);
        });
        return y;
    }

    /// <summary>
    /// y = softmax(x) along graph axis <paramref name="axis"/> (≥ 1; 0 is the batch). Backward:
    /// ∂L/∂x = y ⊙ (∂L/∂y − Σ_axis ∂L/∂y ⊙ y).
    /// </summary>
    public string Softmax(string x, long axis = 1, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        ArgumentOutOfRangeException.ThrowIfLessThan(axis, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(axis, shape.Length);
        var y = Node("Softmax", [x], output ?? $"{x}.softmax", shape, OnnxGraphBuilder.IntAttribute("axis", axis));
        Record(y, [x], (g, _) =>
        {
            long[] reduced = [.. shape.Select((d, i) => i + 1 == axis ? 1 : d)];
            var weighted = Node("Mul", [g, y], $"{g}.weighted", shape);
            var sum = Node("ReduceSum", [weighted, Int64s(axis)], $"{g}.dot", reduced, OnnxGraphBuilder.IntAttribute("keepdims", 1));
            return Node("Mul", [y, Node("Sub", [g, sum], $"{g}.centred", shape)], $"grad/{x}", shape);
        });
        return y;
    }
}
