namespace ExplainApi.Core.Imaging;

/// <summary>
/// A linear intensity window [Low, High] mapped to [0, 1]. <see cref="Invert"/> flips the result, which
/// is how DICOM MONOCHROME1 (minimum value shown white, PS3.3 C.7.6.3.1.2) becomes the MONOCHROME2
/// convention every other input uses.
/// </summary>
public readonly record struct IntensityWindow(double Low, double High, bool Invert = false)
{
    /// <summary>DICOM window centre/width (PS3.3 C.11.2.1.2.1, linear function) as a [Low, High] range.</summary>
    public static IntensityWindow FromCenterWidth(double center, double width, bool invert = false)
    {
        // PS3.3 C.11.2.1.2.1: values <= c - 0.5 - (w-1)/2 are black and > c - 0.5 + (w-1)/2 white.
        var w = Math.Max(width, 1.0);
        var low = center - 0.5 - ((w - 1) / 2);
        var high = center - 0.5 + ((w - 1) / 2);
        return new IntensityWindow(low, Math.Max(high, low + 1e-6), invert);
    }

    /// <summary>The window spanning the finite minimum and maximum of <paramref name="values"/>.</summary>
    public static IntensityWindow FromRange(ReadOnlySpan<float> values, bool invert = false)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (double.IsInfinity(min))
        {
            return new IntensityWindow(0, 1, invert);
        }

        return new IntensityWindow(min, max > min ? max : min + 1, invert);
    }

    public void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        }

        var scale = 1.0 / (High - Low);
        for (var i = 0; i < source.Length; i++)
        {
            var v = source[i];
            var n = float.IsFinite(v) ? Math.Clamp((v - Low) * scale, 0.0, 1.0) : 0.0;
            destination[i] = (float)(Invert ? 1.0 - n : n);
        }
    }
}
