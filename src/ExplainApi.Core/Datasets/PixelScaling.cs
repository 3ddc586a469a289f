namespace ExplainApi.Core.Datasets;

/// <summary>Per-image intensity scalings the synthetic generators share.</summary>
internal static class PixelScaling
{
    // Smoothing shrinks the noise's spread; scale it back to the target standard deviation (population std).
    public static void RescaleStd(Span<float> values, double target)
    {
        double sum = 0, squares = 0;
        foreach (var v in values)
        {
            sum += v;
            squares += (double)v * v;
        }

        var mean = sum / values.Length;
        var std = Math.Sqrt(Math.Max((squares / values.Length) - (mean * mean), 0));
        var factor = std > 0 ? target / std : 1;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] * factor);
        }
    }

    // x ↦ 2(x − min)/(max − min) − 1, per image.
    public static void MinMaxSymmetric(Span<float> values)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var scale = max > min ? 2.0 / (max - min) : 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((values[i] - min) * scale) - 1);
        }
    }
}
