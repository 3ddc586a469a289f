using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>Conv and ConvTranspose: each one's input gradient is the other one with the same weights (METHODS.md §1).</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = Conv(x, W, b) with W [M, C/groups, k…] row-major in <paramref name="weight"/>, stored as <c>{name}.weight</c>
    /// and <c>{name}.bias</c>. Backward: ∂L/∂x = ConvTranspose(∂L/∂y, W) with the same strides, pads, dilations and
    /// groups, plus the output padding that restores x's size when the stride skipped the last rows.
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
        long[] outputPadding = [.. Enumerable.Range(0, geometry.Rank).Select(a => geometry.OutputPadding(a, inShape[a + 1]))];
        Record(y, [x], (g, _) => Node("ConvTranspose", [g, w], $"grad/{x}", inShape.ToArray(),
            [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups), OnnxGraphBuilder.IntsAttribute("output_padding", outputPadding)]));
        return y;
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
