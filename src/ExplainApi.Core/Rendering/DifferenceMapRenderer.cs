using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Rendering;

/// <summary>
/// Difference maps and translations as PNGs. Signed maps are scaled symmetrically by max|v| so zero stays neutral:
/// mid-grey (32768) in the 16-bit form, the centre of a diverging colour map otherwise.
/// </summary>
public static class DifferenceMapRenderer
{
    /// <summary>Grey level of a zero value in <see cref="SignedGrey16Png"/>.</summary>
    public const int ZeroLevel = 32768;

    /// <summary>The signed map coloured (coolwarm by default), resized bilinearly to <paramref name="outHeight"/>×<paramref name="outWidth"/>.</summary>
    public static byte[] DivergingPng(ReadOnlySpan<float> plane, int height, int width, int outHeight, int outWidth, ColorMap? colors = null) =>
        HeatmapRenderer.RenderPng(At(plane, height, width, outHeight, outWidth), outHeight, outWidth, colors ?? ColorMap.CoolWarm, HeatmapScaling.Symmetric);

    /// <summary>
    /// The signed map as a linear 16-bit grey PNG at <paramref name="outHeight"/>×<paramref name="outWidth"/>:
    /// level = 32768 + round(32767 · v / <paramref name="scale"/>) with scale = max|v| (0 for a zero map, all mid-grey).
    /// </summary>
    public static byte[] SignedGrey16Png(ReadOnlySpan<float> plane, int height, int width, int outHeight, int outWidth, out float scale)
    {
        var values = At(plane, height, width, outHeight, outWidth);
        scale = 0f;
        foreach (var v in values)
        {
            scale = float.IsFinite(v) ? Math.Max(scale, Math.Abs(v)) : scale;
        }

        var levels = new ushort[values.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            var t = scale > 0 && float.IsFinite(values[i]) ? values[i] / scale : 0f;
            levels[i] = (ushort)(ZeroLevel + (int)MathF.Round(32767f * Math.Clamp(t, -1f, 1f)));
        }

        return PngEncoder.EncodeGrey16(levels, outWidth, outHeight);
    }

    /// <summary>
    /// Model-ready values (CHW, the manifest's normalisation) back to display: (v · std + mean) for window standardisation,
    /// (v + 1) / 2 for the per-image [−1, 1] scaling, clamped to [0, 1]; 8-bit grey or RGB at the model's size.
    /// </summary>
    public static byte[] ModelImagePng(ReadOnlySpan<float> values, int channels, int height, int width, InputNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        var plane = height * width;
        var shown = channels >= 3 ? 3 : 1;
        var samples = new byte[plane * shown];
        for (var c = 0; c < shown; c++)
        {
            var mean = normalization.Mean[Math.Min(c, normalization.Mean.Count - 1)];
            var std = normalization.Std[Math.Min(c, normalization.Std.Count - 1)];
            for (var p = 0; p < plane; p++)
            {
                var v = (values[(c * plane) + p] * std) + mean;
                var unit = normalization.Kind == InputNormalization.PerImageMinMaxSymmetric ? (v + 1f) / 2f : v;
                samples[(p * shown) + c] = (byte)MathF.Round(Math.Clamp(unit, 0f, 1f) * 255f);
            }
        }

        return PngEncoder.Encode(samples, width, height, shown == 3 ? PngPixelFormat.Rgb8 : PngPixelFormat.Grey8);
    }

    private static float[] At(ReadOnlySpan<float> plane, int height, int width, int outHeight, int outWidth) =>
        height == outHeight && width == outWidth ? plane.ToArray() : Resize.Bilinear(plane, height, width, outHeight, outWidth);
}
