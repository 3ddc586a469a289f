namespace ExplainApi.Onnx.Export;

/// <summary>Ops that move or combine values: Add, Concat, Flatten and the linear layer.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>y = x under another name. Backward: ∂L/∂x = ∂L/∂y.</summary>
    public string Identity(string x, string output)
    {
        var y = Node("Identity", [x], output, ShapeOf(x).ToArray());
        Record(y, [x], (g, _) => g);
        return y;
    }

    /// <summary>y = a + b (same shapes, e.g. a residual connection). Backward: ∂L/∂a = ∂L/∂b = ∂L/∂y (fan-out).</summary>
    public string Add(string a, string b, string? output = null)
    {
        var shape = ShapeOf(a).ToArray();
        if (!shape.SequenceEqual(ShapeOf(b)))
        {
            throw new ArgumentException($"Add needs equal shapes, not [{string.Join(", ", shape)}] and [{string.Join(", ", ShapeOf(b))}].");
        }
        var y = Node("Add", [a, b], output ?? $"{a}.add", shape);
        Record(y, [a, b], (g, _) => g);
        return y;
    }

    /// <summary>y = concatenation along graph axis <paramref name="axis"/> (≥ 1). Backward: each input gets its Slice of ∂L/∂y.</summary>
    public string Concat(IReadOnlyList<string> inputs, long axis = 1, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var shapes = inputs.Select(i => ShapeOf(i).ToArray()).ToList();
        var item = (int)axis - 1;
        bool Compatible(long[] s) => s.Length == shapes[0].Length && item < s.Length && Enumerable.Range(0, s.Length).All(d => d == item || s[d] == shapes[0][d]);
        if (item < 0 || shapes.Count == 0 || !shapes.All(Compatible))
        {
            throw new ArgumentException($"Concat along axis {axis} needs inputs equal in every other axis.");
        }
        var outShape = shapes[0].ToArray();
        outShape[item] = shapes.Sum(s => s[item]);
        var y = Node("Concat", inputs, output ?? $"{inputs[0]}.concat", outShape, OnnxGraphBuilder.IntAttribute("axis", axis));
        var offsets = new long[inputs.Count + 1];
        for (var i = 0; i < inputs.Count; i++)
        {
            offsets[i + 1] = offsets[i] + shapes[i][item];
        }
        Record(y, inputs, (g, i) => Node("Slice", [g, Int64s(offsets[i]), Int64s(offsets[i + 1]), Int64s(axis)], $"grad/{inputs[i]}", shapes[i]));
        return y;
    }

    /// <summary>y = x reshaped to [N, ∏ dims]. Backward: ∂L/∂y reshaped back.</summary>
    public string Flatten(string x, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var y = Node("Flatten", [x], output ?? $"{x}.flat", [shape.Aggregate(1L, (p, d) => p * d)], OnnxGraphBuilder.IntAttribute("axis", 1));
        // Target [0, dims…] (0 copies the batch dimension) rather than [−1, …]: shape inference then keeps the symbolic N, which
        // ONNX Runtime needs to prove the backward tensors equal in shape and keep their element-wise ops in its blocked layout.
        Record(y, [x], (g, _) => Node("Reshape", [g, Int64s([0, .. shape])], $"grad/{x}", shape));
        return y;
    }

    /// <summary>
    /// y = x Wᵀ + b (PyTorch's Linear; Gemm with transB = 1), W [out, in] as <c>{name}.weight</c>, b as <c>{name}.bias</c>.
    /// Backward: ∂L/∂x = ∂L/∂y · W.
    /// </summary>
    public string Linear(string name, string x, ReadOnlySpan<float> weight, long outFeatures, ReadOnlySpan<float> bias, string? output = null)
    {
        var inFeatures = ShapeOf(x) is [var features] ? features : throw new ArgumentException($"Linear needs a [N, features] input, not '{x}'.", nameof(x));
        var w = Weight($"{name}.weight", weight, outFeatures, inFeatures);
        var inputs = new List<string> { x, w };
        if (!bias.IsEmpty)
        {
            inputs.Add(Weight($"{name}.bias", bias, outFeatures));
        }
        var y = Node("Gemm", inputs, output ?? $"{name}.out", [outFeatures], OnnxGraphBuilder.IntAttribute("transB", 1));
        Record(y, [x], (g, _) => Node("MatMul", [g, w], $"grad/{x}", [inFeatures]));
        return y;
    }
}
