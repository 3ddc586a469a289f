namespace ExplainApi.Onnx.Export;

/// <summary>Instance normalisation (Ulyanov et al., 2016), as used by CycleGAN generators, and per-channel affine maps.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = s_c·x + t_c per channel c (an eval-mode BatchNorm that has no convolution before it to fold into:
    /// s = γ/√(σ² + ε), t = β − μ·s), stored as <c>{name}.scale</c> and <c>{name}.shift</c> [C, 1, …].
    /// Backward: ∂L/∂x = s_c·∂L/∂y.
    /// </summary>
    public string ChannelAffine(string name, string x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        if (scale.Length != shape[0] || shift.Length != shape[0])
        {
            throw new ArgumentException($"A per-channel affine map of '{x}' needs {shape[0]} scales and shifts.");
        }
        long[] broadcast = [shape[0], .. shape.Skip(1).Select(_ => 1L)];
        var s = Weight($"{name}.scale", scale, broadcast);
        var scaled = Node("Mul", [x, s], $"{name}.scaled", shape);
        var y = Node("Add", [scaled, Weight($"{name}.shift", shift, broadcast)], output ?? $"{name}.out", shape);
        Record(y, [x], (g, _) => Node("Mul", [g, s], $"grad/{x}", shape));
        return y;
    }

    /// <summary>
    /// y = γ x̂ + β with x̂ = (x − μ)/σ, μ and σ² = mean (x − μ)² + ε taken per item and channel over the spatial axes
    /// (InstanceNormalization; PyTorch's InstanceNorm without running statistics). γ and β (length C, ones and zeros
    /// for a non-affine layer) are stored as <c>{name}.scale</c> and <c>{name}.bias</c>. Backward, with d = γ ∂L/∂y
    /// and means over the spatial axes: ∂L/∂x = (d − mean d − x̂ · mean(d x̂)) / σ. μ, σ and x̂ are recomputed in the
    /// backward graph from x.
    /// </summary>
    public string InstanceNormalization(string name, string x, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float epsilon, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        var channels = shape[0];
        if (scale.Length != channels || bias.Length != channels || shape.Length < 2)
        {
            throw new ArgumentException($"InstanceNormalization of '{x}' needs {channels} scales and biases and at least one spatial axis.");
        }
        var gamma = Weight($"{name}.scale", scale, channels);
        var y = Node("InstanceNormalization", [x, gamma, Weight($"{name}.bias", bias, channels)], output ?? $"{name}.out", shape, OnnxGraphBuilder.FloatAttribute("epsilon", epsilon));
        long[] stats = [channels, .. shape.Skip(1).Select(_ => 1L)];
        var broadcastGamma = Weight($"{name}.scale.broadcast", scale, stats);
        long[] spatialAxes = [.. Enumerable.Range(2, shape.Length - 1).Select(a => (long)a)];
        string Mean(string t, string label) => Node("ReduceMean", [t], label, stats, OnnxGraphBuilder.IntsAttribute("axes", spatialAxes), OnnxGraphBuilder.IntAttribute("keepdims", 1));
        Record(y, [x], (g, _) =>
        {
            var centred = Node("Sub", [x, Mean(x, $"{x}.mean")], $"{x}.centred", shape);
            var variance = Mean(Node("Mul", [centred, centred], $"{x}.squared_deviation", shape), $"{x}.variance");
            var sigma = Node("Sqrt", [Node("Add", [variance, Scalar(epsilon)], $"{x}.variance_eps", stats)], $"{x}.sigma", stats);
            var normalised = Node("Div", [centred, sigma], $"{x}.normalised", shape);
            var d = Node("Mul", [g, broadcastGamma], $"{g}.scaled", shape);
            var projection = Node("Mul", [normalised, Mean(Node("Mul", [d, normalised], $"{g}.times_normalised", shape), $"{g}.mean_times_normalised")], $"{g}.projection", shape);
            var residual = Node("Sub", [Node("Sub", [d, Mean(d, $"{g}.mean")], $"{g}.centred", shape), projection], $"{g}.residual", shape);
            return Node("Div", [residual, sigma], $"grad/{x}", shape);
        });
        return y;
    }
}
