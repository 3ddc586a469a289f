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
        if (groups == 1 && geometry.Rank == 2 && geometry.Strides[0] == geometry.Strides[1] && geometry.Dilations.All(d => d == 1)
            && Environment.GetEnvironmentVariable("EXPLAINAPI_STRIDED_BACKWARD") != "transpose")
        {
            var phases = PolyphaseKernel(weight, weightDims, geometry, outShape, inShape);
            Record(y, [x], (g, _) => PolyphaseBackward(g, Weight($"{name}.weight.phases", phases.Weight, phases.Dims), phases, inShape.ToArray(), $"grad/{x}"));
            return y;
        }
        long[] outputPadding = [.. Enumerable.Range(0, geometry.Rank).Select(a => geometry.OutputPadding(a, inShape[a + 1]))];
        Record(y, [x], (g, _) => Node("ConvTranspose", [g, w], $"grad/{x}", inShape.ToArray(),
            [.. geometry.Attributes(), OnnxGraphBuilder.IntAttribute("group", groups), OnnxGraphBuilder.IntsAttribute("output_padding", outputPadding)]));
        return y;
    }

    private sealed record Phases(float[] Weight, long[] Dims, long Stride, long[] Pads, long[] Blocks);

    /// <summary>
    /// The transposed convolution ∂L/∂x = ConvTranspose(∂L/∂y, W) of a stride-s 2-D Conv split by output phase (polyphase
    /// decomposition): x row s·q + r only receives kernel taps j ≡ r + p (mod s), each from ∂L/∂y row q + (r + p − j)/s. So
    /// one stride-1 Conv over ∂L/∂y with s²·C output channels (phase-major, as DepthToSpace's DCR mode reads them) and a
    /// small kernel computes every phase, and DepthToSpace interleaves them (cropped to x's size). ONNX Runtime runs that
    /// Conv in its blocked layout; its ConvTranspose costs ~4× more per multiply-add (issue 11). Same sums, other order.
    /// </summary>
    private static Phases PolyphaseKernel(ReadOnlySpan<float> weight, long[] dims, ConvolutionGeometry geometry, long[] outShape, IReadOnlyList<long> inShape)
    {
        var s = geometry.Strides[0];
        var (m, c) = (dims[0], dims[1]);
        var first = new long[2];
        var taps = new long[2];
        var pads = new long[4];
        var blocks = new long[2];
        for (var a = 0; a < 2; a++)
        {
            // Offsets t = (r + p − j)/s over the phases r and taps j that meet; the window spans [min(t, 0), max t].
            var offsets = Enumerable.Range(0, (int)s).SelectMany(r => Enumerable.Range(0, (int)geometry.Kernel[a]).Select(j => r + geometry.Pads[a] - j))
                .Where(d => d % s == 0).Select(d => d / s).ToList();
            first[a] = Math.Min(0, offsets.Min());
            taps[a] = offsets.Max() - first[a] + 1;
            blocks[a] = (inShape[a + 1] + s - 1) / s;
            pads[a] = -first[a];
            pads[a + 2] = blocks[a] - outShape[a + 1] - pads[a] + taps[a] - 1;
            if (pads[a + 2] < 0)
            {
                taps[a] -= pads[a + 2]; // zero taps at the end instead of a negative pad
                pads[a + 2] = 0;
            }
        }
        var result = new float[s * s * c * m * taps[0] * taps[1]];
        for (long rh = 0; rh < s; rh++)
        {
            for (long rw = 0; rw < s; rw++)
            {
                for (long uh = 0; uh < taps[0]; uh++)
                {
                    var jh = rh + geometry.Pads[0] - s * (first[0] + uh);
                    for (long uw = 0; uw < taps[1]; uw++)
                    {
                        var jw = rw + geometry.Pads[1] - s * (first[1] + uw);
                        if (jh < 0 || jh >= geometry.Kernel[0] || jw < 0 || jw >= geometry.Kernel[1])
                        {
                            continue;
                        }
                        for (long ci = 0; ci < c; ci++)
                        {
                            for (long mi = 0; mi < m; mi++)
                            {
                                var target = ((((rh * s + rw) * c + ci) * m + mi) * taps[0] + uh) * taps[1] + uw;
                                result[target] = weight[(int)(((mi * c + ci) * geometry.Kernel[0] + jh) * geometry.Kernel[1] + jw)];
                            }
                        }
                    }
                }
            }
        }
        return new Phases(result, [s * s * c, m, taps[0], taps[1]], s, pads, blocks);
    }

    private string PolyphaseBackward(string g, string kernel, Phases phases, long[] inShape, string name)
    {
        var s = phases.Stride;
        long[] phaseShape = [phases.Dims[0], .. phases.Blocks];
        var all = Node("Conv", [g, kernel], $"{name}.phases", phaseShape, OnnxGraphBuilder.IntsAttribute("kernel_shape", phases.Dims[2], phases.Dims[3]),
            OnnxGraphBuilder.IntsAttribute("pads", phases.Pads));
        long[] interleaved = [inShape[0], .. phases.Blocks.Select(b => b * s)];
        var fitted = interleaved[1] == inShape[1] && interleaved[2] == inShape[2];
        var spread = Node("DepthToSpace", [all], $"{name}.interleaved", interleaved, OnnxGraphBuilder.IntAttribute("blocksize", s),
            OnnxGraphBuilder.StringAttribute("mode", "DCR"));
        var cropped = fitted ? spread : Node("Slice", [spread, Int64s(0, 0), Int64s(inShape[1], inShape[2]), Int64s(2, 3)], $"{name}.cropped", inShape);
        // DepthToSpace has no blocked form: a depthwise identity Conv takes the gradient back into ONNX Runtime's NCHWc layout
        // (one copy), so the Adds and ReLU masks of the layers below stay blocked instead of reordering at every op.
        var channels = inShape[0];
        return Node("Conv", [cropped, Weight($"{name}.identity", Enumerable.Repeat(1f, (int)channels).ToArray(), [channels, 1, 1, 1])], name, inShape,
            OnnxGraphBuilder.IntsAttribute("kernel_shape", 1, 1), OnnxGraphBuilder.IntAttribute("group", channels));
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
