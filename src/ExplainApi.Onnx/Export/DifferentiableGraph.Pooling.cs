namespace ExplainApi.Onnx.Export;

/// <summary>Pooling: max (routed through its indices), average (a transposed convolution with a constant kernel) and global average.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = MaxPool(x) (floor mode). Backward: each ∂L/∂y element goes to the input element its window selected, read
    /// from MaxPool's Indices output (offsets into the whole flattened x, N and C included, per the ONNX spec) and
    /// summed with ScatterElements(reduction = add) where overlapping windows picked the same element.
    /// </summary>
    public string MaxPool(string x, ConvolutionGeometry window, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        var inShape = ShapeOf(x).ToArray();
        var outShape = PooledShape("MaxPool", x, window);
        var y = Fresh(output ?? $"{x}.max_pool");
        var indices = Fresh($"{y}.indices");
        Builder.AddNode("MaxPool", [x], [y, indices], [.. window.Attributes(window.Dilations.Any(d => d != 1))]);
        _shapes[y] = outShape;
        Record(y, [x], (g, _) =>
        {
            var flatX = Unbatched("Reshape", [x, Int64s(-1)], $"{x}.flat_all");
            var zeros = Unbatched("ConstantOfShape", [Unbatched("Shape", [flatX], $"{x}.numel")], $"{x}.zeros");
            var flatIndices = Unbatched("Reshape", [indices, Int64s(-1)], $"{indices}.flat");
            var flatGrad = Unbatched("Reshape", [g, Int64s(-1)], $"{g}.flat_all");
            var scattered = Unbatched("ScatterElements", [zeros, flatIndices, flatGrad], $"{g}.scattered",
                OnnxGraphBuilder.IntAttribute("axis", 0), OnnxGraphBuilder.StringAttribute("reduction", "add"));
            return Node("Reshape", [scattered, ReshapeTarget(inShape)], $"grad/{x}", inShape);
        });
        return y;
    }

    /// <summary>
    /// y = AveragePool(x) (floor mode); with <paramref name="countIncludePad"/> every window divides by its full size
    /// (PyTorch's default), otherwise by the number of real input elements it covers. Backward: ∂L/∂y divided by each
    /// window's divisor, then spread over the window: a depthwise ConvTranspose with an all-ones kernel.
    /// </summary>
    public string AveragePool(string x, ConvolutionGeometry window, bool countIncludePad = true, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Dilations.Any(d => d != 1))
        {
            throw new NotSupportedException("AveragePool with dilations is not exported.");
        }
        var inShape = ShapeOf(x).ToArray();
        var outShape = PooledShape("AveragePool", x, window);
        var y = Node("AveragePool", [x], output ?? $"{x}.avg_pool", outShape, [.. window.Attributes(withDilations: false), OnnxGraphBuilder.IntAttribute("count_include_pad", countIncludePad ? 1 : 0)]);
        Record(y, [x], (g, _) =>
        {
            var divisors = WindowDivisors(window, inShape, outShape, countIncludePad);
            var perWindow = Weight($"{y}.divisors", divisors, [1, .. outShape.Skip(1)]);
            var channels = inShape[0];
            var kernelSize = window.Kernel.Aggregate(1L, (p, k) => p * k);
            var ones = Weight($"{y}.spread", Enumerable.Repeat(1f, (int)(channels * kernelSize)).ToArray(), [channels, 1, .. window.Kernel]);
            var scaled = Node("Div", [g, perWindow], $"{g}.per_element", outShape);
            long[] outputPadding = [.. Enumerable.Range(0, window.Rank).Select(a => window.OutputPadding(a, inShape[a + 1]))];
            return Node("ConvTranspose", [scaled, ones], $"grad/{x}", inShape,
                [.. window.Attributes(), OnnxGraphBuilder.IntAttribute("group", channels), OnnxGraphBuilder.IntsAttribute("output_padding", outputPadding)]);
        });
        return y;
    }

    /// <summary>y = mean over the spatial axes, kept as size-1 axes. Backward: ∂L/∂y broadcast over the window and divided by its size.</summary>
    public string GlobalAveragePool(string x, string? output = null)
    {
        var inShape = ShapeOf(x).ToArray();
        long[] outShape = [inShape[0], .. inShape.Skip(1).Select(_ => 1L)];
        var y = Node("GlobalAveragePool", [x], output ?? $"{x}.gap", outShape);
        var area = inShape.Skip(1).Aggregate(1L, (p, d) => p * d);
        Record(y, [x], (g, _) =>
        {
            if (inShape.Length == 3)
            {
                // As a depthwise 1×1 Conv by 1/area and a nearest Resize, which ONNX Runtime runs in its blocked NCHWc layout,
                // so the backward convolutions below start blocked instead of reordering every residual gradient (issue 11).
                var perElement = DepthwiseScale(g, 1f / area, $"{y}.inverse_area", $"{g}.per_element");
                var scales = Weight($"{y}.spread_scales", [1f, 1f, inShape[1], inShape[2]], 4);
                var spread = Node("Resize", [perElement, "", scales], $"grad/{x}", inShape, OnnxGraphBuilder.StringAttribute("mode", "nearest"),
                    OnnxGraphBuilder.StringAttribute("coordinate_transformation_mode", "asymmetric"), OnnxGraphBuilder.StringAttribute("nearest_mode", "floor"));
                Builder.AddValueInfo(spread, inShape); // Resize's shape inference drops the symbolic N, and the blocked Mul below needs it
                return spread;
            }
            var broadcast = Node("Expand", [g, Int64s([1, .. inShape])], $"{g}.broadcast", inShape);
            return Node("Div", [broadcast, Scalar(area)], $"grad/{x}", inShape);
        });
        return y;
    }

    private long[] PooledShape(string op, string x, ConvolutionGeometry window)
    {
        var inShape = ShapeOf(x);
        if (inShape.Count != window.Rank + 1)
        {
            throw new ArgumentException($"{op} with a {window.Rank}-D window cannot pool '{x}' [{string.Join(", ", inShape)}].");
        }
        return [inShape[0], .. Enumerable.Range(0, window.Rank).Select(a => window.OutputLength(a, inShape[a + 1]))];
    }

    /// <summary>
    /// Each output position's divisor, as PyTorch's avg_pool computes it: the window [o·s − p_b, o·s − p_b + k) is
    /// clipped to the padded input [−p_b, L + p_e) when padding counts, else to the input [0, L). Separable per axis.
    /// </summary>
    private static float[] WindowDivisors(ConvolutionGeometry window, long[] inShape, long[] outShape, bool countIncludePad)
    {
        var perAxis = Enumerable.Range(0, window.Rank).Select(axis =>
        {
            var (length, begin, end) = (inShape[axis + 1], window.Pads[axis], window.Pads[axis + window.Rank]);
            return Enumerable.Range(0, (int)outShape[axis + 1]).Select(o =>
            {
                var start = o * window.Strides[axis] - begin;
                var stop = start + window.Kernel[axis];
                var (low, high) = countIncludePad ? (-begin, length + end) : (0, length);
                return (double)(Math.Min(stop, high) - Math.Max(start, low));
            }).ToArray();
        }).ToList();
        IEnumerable<double> products = [1.0];
        foreach (var axis in perAxis)
        {
            products = products.SelectMany(p => axis.Select(d => p * d)).ToList();
        }
        return products.Select(p => (float)p).ToArray();
    }
}
