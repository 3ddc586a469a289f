using System.Numerics;
using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Rendering;

/// <summary>How a map's values are brought to [0, 1] before colouring.</summary>
public enum HeatmapScaling
{
    /// <summary>(v - min) / (max - min): for maps of one sign, such as CAMs.</summary>
    MinMax,

    /// <summary>0.5 + v / (2 max|v|): zero stays at 0.5, for signed maps on a diverging colour map.</summary>
    Symmetric,
}

/// <summary>Turns a float map (any range) into colours and PNGs.</summary>
public static class HeatmapRenderer
{
    /// <summary>Symmetric for a diverging map, so that its neutral centre means zero; min-max otherwise.</summary>
    public static HeatmapScaling DefaultScaling(ColorMap colorMap)
    {
        ArgumentNullException.ThrowIfNull(colorMap);
        return colorMap.IsDiverging ? HeatmapScaling.Symmetric : HeatmapScaling.MinMax;
    }

    /// <summary>
    /// Maps values to [0, 1]. Non-finite values count as missing: they are left out of the range and
    /// come out as the "zero" level (0 for min-max, 0.5 for symmetric), as does every value of a
    /// constant map, which carries no ranking.
    /// </summary>
    public static float[] Normalize(ReadOnlySpan<float> map, HeatmapScaling scaling)
    {
        // Every map of every response comes through here twice (the method's normalisation, then the PNG): SIMD for the
        // finite maps every method returns, the per-value branches only when a NaN or infinity must be left out.
        var allFinite = FiniteValues.All(map);
        var (min, max) = allFinite ? MinMax(map) : FiniteMinMax(map);
        var result = new float[map.Length];
        var symmetric = scaling == HeatmapScaling.Symmetric;
        // Doubles, so that a range near float.MaxValue does not overflow to infinity.
        var scale = symmetric ? 0.5 / Math.Max(Math.Abs((double)min), Math.Abs((double)max)) : 1.0 / ((double)max - min);
        if (allFinite && double.IsFinite(scale))
        {
            var (offset, shift) = symmetric ? (0.0, 0.5) : ((double)min, 0.0);
            Affine(map, result, offset, scale, shift);
            return result;
        }

        for (var i = 0; i < map.Length; i++)
        {
            var v = map[i];
            var t = !float.IsFinite(v) || !double.IsFinite(scale) ? 0.0
                : symmetric ? v * scale : (v - (double)min) * scale;
            result[i] = (float)(symmetric ? 0.5 + t : t);
        }

        return result;
    }

    /// <summary>Min and max of finite values; (+∞, −∞) when empty.</summary>
    private static (float Min, float Max) MinMax(ReadOnlySpan<float> map)
    {
        var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
        var i = 0;
        if (map.Length >= Vector<float>.Count)
        {
            var (low, high) = (new Vector<float>(min), new Vector<float>(max));
            for (; i <= map.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(map[i..]);
                (low, high) = (Vector.Min(low, v), Vector.Max(high, v));
            }

            for (var lane = 0; lane < Vector<float>.Count; lane++)
            {
                (min, max) = (Math.Min(min, low[lane]), Math.Max(max, high[lane]));
            }
        }

        for (; i < map.Length; i++)
        {
            (min, max) = (Math.Min(min, map[i]), Math.Max(max, map[i]));
        }

        return (min, max);
    }

    private static (float Min, float Max) FiniteMinMax(ReadOnlySpan<float> map)
    {
        var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
        foreach (var v in map)
        {
            if (float.IsFinite(v))
            {
                (min, max) = (Math.Min(min, v), Math.Max(max, v));
            }
        }

        return (min, max);
    }

    /// <summary>result = (float)(shift + (v − offset)·scale), in doubles as the scalar form: bit-identical to it.</summary>
    private static void Affine(ReadOnlySpan<float> map, Span<float> result, double offset, double scale, double shift)
    {
        var i = 0;
        var (o, k, b) = (new Vector<double>(offset), new Vector<double>(scale), new Vector<double>(shift));
        for (; i <= map.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(map[i..]), out var low, out var high);
            Vector.Narrow(b + ((low - o) * k), b + ((high - o) * k)).CopyTo(result[i..]);
        }

        for (; i < map.Length; i++)
        {
            result[i] = (float)(shift + ((map[i] - offset) * scale));
        }
    }

    /// <summary>Interleaved 8-bit RGB of normalised values through <paramref name="colorMap"/>.</summary>
    public static byte[] Colorize(ReadOnlySpan<float> normalized, ColorMap colorMap)
    {
        ArgumentNullException.ThrowIfNull(colorMap);
        var rgb = new byte[normalized.Length * 3];
        colorMap.Apply(normalized, rgb);
        return rgb;
    }

    /// <summary>An RGB PNG of a row-major map; <paramref name="scaling"/> defaults to <see cref="DefaultScaling"/>.</summary>
    public static byte[] RenderPng(ReadOnlySpan<float> map, int height, int width, ColorMap colorMap, HeatmapScaling? scaling = null)
    {
        CheckShape(map, height, width);
        var normalized = Normalize(map, scaling ?? DefaultScaling(colorMap));
        return PngEncoder.Encode(Colorize(normalized, colorMap), width, height, PngPixelFormat.Rgb8);
    }

    /// <summary>A 16-bit greyscale PNG of the normalised map (level = round(t x 65535)), for clients that post-process it.</summary>
    public static byte[] RenderGrey16Png(ReadOnlySpan<float> map, int height, int width, HeatmapScaling scaling = HeatmapScaling.MinMax)
    {
        CheckShape(map, height, width);
        var normalized = Normalize(map, scaling);
        var levels = new ushort[normalized.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = (ushort)MathF.Round(Math.Clamp(normalized[i], 0f, 1f) * ushort.MaxValue);
        }

        return PngEncoder.EncodeGrey16(levels, width, height);
    }

    internal static void CheckShape(ReadOnlySpan<float> map, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (map.Length != (long)height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} values, got {map.Length}.", nameof(map));
        }
    }
}
