namespace ExplainApi.Onnx.Export;

/// <summary>How <see cref="DifferentiableGraph.Pad"/> fills the border (PyTorch's ZeroPad, ReflectionPad, ReplicationPad).</summary>
public enum PadMode
{
    /// <summary>Zeros (ONNX mode constant).</summary>
    Zeros,

    /// <summary>Mirror without repeating the edge: index −i reads i, L − 1 + i reads L − 1 − i (ONNX reflect).</summary>
    Reflect,

    /// <summary>Repeat the edge (ONNX edge).</summary>
    Replicate,
}

/// <summary>Spatial padding; its backward folds the border gradient back onto the input elements it copied.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = x padded by <paramref name="begins"/>/<paramref name="ends"/> elements on each spatial axis. Every mode copies
    /// input elements, so along an axis y = P x with P [L + b + e, L] a 0/1 selection matrix; the backward is Pᵀ applied
    /// to ∂L/∂y along each axis in turn (a MatMul over the last axis, the tensor transposed for the others).
    /// </summary>
    public string Pad(string x, long[] begins, long[] ends, PadMode mode, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(begins);
        ArgumentNullException.ThrowIfNull(ends);
        var shape = ShapeOf(x).ToArray();
        var rank = shape.Length - 1;
        if (begins.Length != rank || ends.Length != rank || begins.Concat(ends).Any(p => p < 0)
            || mode == PadMode.Reflect && Enumerable.Range(0, rank).Any(a => begins[a] >= shape[a + 1] || ends[a] >= shape[a + 1]))
        {
            throw new ArgumentException($"Cannot pad '{x}' [{string.Join(", ", shape)}] by [{string.Join(", ", begins)}]/[{string.Join(", ", ends)}] ({mode}).");
        }
        long[] outShape = [shape[0], .. Enumerable.Range(0, rank).Select(a => shape[a + 1] + begins[a] + ends[a])];
        var onnxMode = mode switch { PadMode.Zeros => "constant", PadMode.Reflect => "reflect", _ => "edge" };
        var y = Node("Pad", [x, Int64s([0, 0, .. begins, 0, 0, .. ends])], output ?? $"{x}.pad", outShape, OnnxGraphBuilder.StringAttribute("mode", onnxMode));
        Record(y, [x], (g, _) =>
        {
            var current = g;
            var currentShape = outShape.ToArray();
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                var selection = PadSelection(shape[axis + 1], begins[axis], ends[axis], mode);
                currentShape[axis + 1] = shape[axis + 1];
                current = MultiplyAlongAxis(current, selection, axis + 2, currentShape.ToArray(), $"{y}.back{axis}", axis == 0 ? $"grad/{x}" : $"{g}.unpad{axis}");
            }
            return current;
        });
        return y;
    }

    /// <summary>
    /// Contracts graph axis <paramref name="axis"/> (≥ 2: a spatial axis; 0 is the batch, 1 the channels) of
    /// <paramref name="tensor"/> with the row-major matrix M [L_in, L_out]: out[…, j, …] = Σ_i t[…, i, …]·M[i, j].
    /// </summary>
    private string MultiplyAlongAxis(string tensor, float[] matrix, int axis, long[] resultShape, string weightName, string output)
    {
        var inShape = ShapeOf(tensor).ToArray();
        var (rows, columns) = (inShape[axis - 1], resultShape[axis - 1]);
        var m = Weight(weightName, matrix, rows, columns);
        if (axis == inShape.Length)
        {
            return Node("MatMul", [tensor, m], output, resultShape);
        }
        // Swap the axis with the last one (a permutation that is its own inverse), MatMul, swap back.
        var permutation = Enumerable.Range(0, inShape.Length + 1).Select(a => (long)a).ToArray();
        (permutation[axis], permutation[^1]) = (permutation[^1], permutation[axis]);
        long[] Swapped(long[] s) { var t = s.ToArray(); (t[axis - 1], t[^1]) = (t[^1], t[axis - 1]); return t; }
        var moved = Node("Transpose", [tensor], $"{tensor}.swap{axis}", Swapped(inShape), OnnxGraphBuilder.IntsAttribute("perm", permutation));
        var product = Node("MatMul", [moved, m], $"{tensor}.contract{axis}", Swapped(resultShape));
        return Node("Transpose", [product], output, resultShape, OnnxGraphBuilder.IntsAttribute("perm", permutation));
    }

    /// <summary>P [L + b + e, L] row-major: P[o, i] = 1 when padded position o copies input i (a zero row for a zero pad).</summary>
    private static float[] PadSelection(long length, long begin, long end, PadMode mode)
    {
        var padded = length + begin + end;
        var matrix = new float[length * padded];
        for (long o = 0; o < padded; o++)
        {
            var i = o - begin;
            i = mode switch
            {
                PadMode.Reflect => i < 0 ? -i : i >= length ? 2 * (length - 1) - i : i,
                PadMode.Replicate => Math.Clamp(i, 0, length - 1),
                _ => i,
            };
            if (i >= 0 && i < length)
            {
                matrix[o * length + i] = 1;
            }
        }
        return matrix;
    }
}
