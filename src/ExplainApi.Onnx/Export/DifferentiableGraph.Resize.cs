using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>How <see cref="DifferentiableGraph.Resize"/> interpolates, in PyTorch's terms (nn.Upsample / F.interpolate).</summary>
public enum ResizeMode
{
    /// <summary>mode='nearest': source index ⌊o / scale⌋ (ONNX asymmetric + floor).</summary>
    Nearest,

    /// <summary>mode='bilinear', align_corners=False: source (o + ½)/scale − ½, clamped at 0 (ONNX half_pixel).</summary>
    Bilinear,

    /// <summary>mode='bilinear', align_corners=True: source o·(L − 1)/(L_out − 1) (ONNX align_corners).</summary>
    BilinearAlignCorners,
}

/// <summary>Resize of the two spatial axes; its backward multiplies by the transposed interpolation matrices.</summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>
    /// y = Resize(x) of [N, C, H, W] by scale factors (output ⌊H·s_h⌋ × ⌊W·s_w⌋). Each axis is a linear map
    /// y = A_h x A_wᵀ per item and channel, with A [L_out, L] the interpolation weights PyTorch uses; so the backward
    /// is ∂L/∂x = A_hᵀ (∂L/∂y) A_w, two MatMuls with constant matrices.
    /// </summary>
    public string Resize(string x, double scaleHeight, double scaleWidth, ResizeMode mode, string? output = null)
    {
        var shape = ShapeOf(x).ToArray();
        if (shape.Length != 3 || scaleHeight <= 0 || scaleWidth <= 0)
        {
            throw new ArgumentException($"Resize needs a [N, C, H, W] input and positive scales, not '{x}' [{string.Join(", ", shape)}] by {scaleHeight}×{scaleWidth}.");
        }
        var (height, width) = ((long)Math.Floor(shape[1] * scaleHeight), (long)Math.Floor(shape[2] * scaleWidth));
        long[] outShape = [shape[0], height, width];
        var name = Fresh(output ?? $"{x}.resize");
        var scales = Builder.AddInitializer(Fresh($"{name}.scales"), [1f, 1f, (float)scaleHeight, (float)scaleWidth], 4);
        AttributeProto[] attributes = mode == ResizeMode.Nearest
            ? [OnnxGraphBuilder.StringAttribute("mode", "nearest"), OnnxGraphBuilder.StringAttribute("coordinate_transformation_mode", "asymmetric"), OnnxGraphBuilder.StringAttribute("nearest_mode", "floor")]
            : [OnnxGraphBuilder.StringAttribute("mode", "linear"), OnnxGraphBuilder.StringAttribute("coordinate_transformation_mode", mode == ResizeMode.Bilinear ? "half_pixel" : "align_corners")];
        var y = Node("Resize", [x, "", scales], name, outShape, attributes);
        Record(y, [x], (g, _) =>
        {
            var rows = Interpolation.Matrix(shape[1], height, scaleHeight, mode, transpose: true); // A_hᵀ [H, H_out]
            var columns = Interpolation.Matrix(shape[2], width, scaleWidth, mode, transpose: false); // A_w [W_out, W]
            var alongWidth = Node("MatMul", [g, Weight($"{y}.columns", columns, width, shape[2])], $"{g}.width_back", [shape[0], height, shape[2]]);
            return Node("MatMul", [Weight($"{y}.rows_t", rows, shape[1], height), alongWidth], $"grad/{x}", shape);
        });
        return y;
    }

    /// <summary>PyTorch's 1-D interpolation weights (aten/src/ATen/native/UpSample.h: area_pixel_compute_source_index, nearest_idx).</summary>
    private static class Interpolation
    {
        /// <returns>A [out, length] row-major, or Aᵀ [length, out] when <paramref name="transpose"/>.</returns>
        public static float[] Matrix(long length, long outLength, double scale, ResizeMode mode, bool transpose)
        {
            var matrix = new float[length * outLength];
            void Put(long o, long i, double weight) => matrix[transpose ? i * outLength + o : o * length + i] += (float)weight;
            for (long o = 0; o < outLength; o++)
            {
                if (mode == ResizeMode.Nearest)
                {
                    Put(o, Math.Min((long)Math.Floor(o / scale), length - 1), 1);
                    continue;
                }
                var source = mode == ResizeMode.Bilinear
                    ? Math.Max((o + 0.5) / scale - 0.5, 0)
                    : outLength > 1 ? o * (length - 1) / (double)(outLength - 1) : 0;
                var low = Math.Min((long)Math.Floor(source), length - 1);
                var high = Math.Min(low + 1, length - 1);
                var fraction = source - low;
                Put(o, low, 1 - fraction);
                Put(o, high, fraction);
            }
            return matrix;
        }
    }
}
