using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>Conv and ConvTranspose: each one's input gradient is the other one with the same weights (METHODS.md §1).</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = Conv(x, W, b) with W [M, C/groups, k…] row-major in <paramref name="weight"/>, stored as <c>{name}.weight</c>
    /// and <c>{name}.bias</c>. Backward: ∂L/∂x = ConvTranspose(∂L/∂y, W) with the same strides, pads, dilations and
    /// groups, plus the output padding that restores x's size when the stride skipped the last rows. For stride 1 and
    /// pads p ≤ d(k − 1) the same sum is a plain Conv, which ONNX Runtime runs faster than ConvTranspose:
    /// ∂L/∂x[c, i] = Σ_m Σ_j ∂L/∂y[m, i + d·j − p′]·W′[c, m, j] with W′[c, m, j] = W[m, c, k − 1 − j] (kernel flipped,
    /// in and out channels swapped per group) and pads p′ = d(k − 1) − p (stored as <c>{name}.weight.flipped</c>).
    /// </summary>
    public string Conv(string name, string x, ReadOnlySpan<float> weight, long[] weightDims, ReadOnlySpan<float> bias, ConvolutionGeometry geometry, long groups = 1, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(weightDims);
        ArgumentNullException.ThrowIfNull(geometry);
        var inShape = ShapeOf(x);
        CheckChannels("Conv", x, inShape[0], weightDims[1] * groups, weightDims.Length, geometry);
        var w = Weight($"{name}.weight", weight, weightDims);
        var inputs = new List<string> { x, w };
        if (!bias.IsEmpty)
        {
            inputs.Add(Weight($"{name}.bias", bias, weightDims[0]));
        }
        long[] outShape = [weightDims[0], .. Enumerable.Range(0, geometry.Rank).Select(a => geometry.OutputLength(a, inShape[a + 1]))];
        var y = Node("Conv", inputs, output ?? $"{name}.out", outShape, [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups)]);
        long[] reach = [.. Enumerable.Range(0, geometry.Rank).Select(a => geometry.Dilations[a] * (geometry.Kernel[a] - 1))];
        if (geometry.Strides.All(s => s == 1) && geometry.Pads.Select((p, i) => p <= reach[i % geometry.Rank]).All(fits => fits))
        {
            var flipped = FlippedTransposed(weight, weightDims, groups);
            long[] flippedDims = [weightDims[1] * groups, weightDims[0] / groups, .. weightDims.Skip(2)];
            var backward = geometry with { Pads = [.. geometry.Pads.Select((p, i) => reach[i % geometry.Rank] - p)] };
            Record(y, [x], (g, _) => Node("Conv", [g, Weight($"{name}.weight.flipped", flipped, flippedDims)], $"grad/{x}", inShape.ToArray(),
                [.. backward.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups)]));
            return y;
        }
        long[] outputPadding = [.. Enumerable.Range(0, geometry.Rank).Select(a => geometry.OutputPadding(a, inShape[a + 1]))];
        Record(y, [x], (g, _) =>
        {
            var gradient = Node("ConvTranspose", [g, w], inShape.Count == 3 ? $"grad/{x}.transposed" : $"grad/{x}", inShape.ToArray(),
                [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups), OnnxGraphBuilder.IntsAttribute("output_padding", outputPadding)]);
            // ConvTranspose has no blocked NCHWc form in ONNX Runtime: an identity depthwise Conv (one copy) takes the gradient
            // back into that layout, so the Adds and ReLU masks below stay blocked instead of reordering at each (issue 11).
            return inShape.Count == 3 ? DepthwiseScale(gradient, 1f, $"{name}.backward_identity", $"grad/{x}") : gradient;
        });
        return y;
    }

    /// <summary>W′[g·C/G + c, m, j] = W[g·M/G + m, c, k − 1 − j] for W [M, C/G, k…]: flipping every spatial axis reverses the row-major spatial index.</summary>
    private static float[] FlippedTransposed(ReadOnlySpan<float> weight, long[] dims, long groups)
    {
        var (outPerGroup, inPerGroup) = (dims[0] / groups, dims[1]);
        var spatial = dims.Skip(2).Aggregate(1L, (p, d) => p * d);
        var result = new float[weight.Length];
        for (long g = 0; g < groups; g++)
        {
            for (long m = 0; m < outPerGroup; m++)
            {
                for (long c = 0; c < inPerGroup; c++)
                {
                    var source = ((g * outPerGroup + m) * inPerGroup + c) * spatial;
                    var target = ((g * inPerGroup + c) * outPerGroup + m) * spatial;
                    for (long k = 0; k < spatial; k++)
                    {
                        result[target + spatial - 1 - k] = weight[(int)(source + k)];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>
    /// y = ConvTranspose(x, W, b) with W [C, M/groups, k…]. Backward: ∂L/∂x = Conv(∂L/∂y, W) with the same strides,
    /// pads, dilations and groups (the output padding only added rows that no input element reached).
    /// </summary>
    public string ConvTranspose(string name, string x, ReadOnlySpan<float> weight, long[] weightDims, ReadOnlySpan<float> bias, ConvolutionGeometry geometry, long[] outputPadding, long groups = 1, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(weightDims);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(outputPadding);
        var inShape = ShapeOf(x);
        CheckChannels("ConvTranspose", x, inShape[0], weightDims[0], weightDims.Length, geometry);
        var w = Weight($"{name}.weight", weight, weightDims);
        var inputs = new List<string> { x, w };
        if (!bias.IsEmpty)
        {
            inputs.Add(Weight($"{name}.bias", bias, weightDims[1] * groups));
        }
        long[] outShape = [weightDims[1] * groups, .. Enumerable.Range(0, geometry.Rank).Select(a => geometry.TransposedLength(a, inShape[a + 1], outputPadding[a]))];
        var y = Node("ConvTranspose", inputs, output ?? $"{name}.out", outShape,
            [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups), OnnxGraphBuilder.IntsAttribute("output_padding", outputPadding)]);
        Record(y, [x], (g, _) => Node("Conv", [g, w], $"grad/{x}", inShape.ToArray(), [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups)]));
        return y;
    }

    private void CheckChannels(string op, string x, long actual, long expected, int weightRank, ConvolutionGeometry geometry)
    {
        if (actual != expected || weightRank != geometry.Rank + 2 || ShapeOf(x).Count != geometry.Rank + 1)
        {
            throw new ArgumentException($"{op} on '{x}' [{string.Join(", ", ShapeOf(x))}]: the weight expects {expected} input channels and {weightRank - 2} spatial axes.");
        }
    }
}
