namespace ExplainApi.Dicom.Tests;

/// <summary>What a decoder must return for the synthetic images, as float CHW.</summary>
internal static class Expected
{
    public static float[] Gray8 => [.. SyntheticImages.Gray8().Select(v => (float)v)];

    public static float[] Signed16 => [.. SyntheticImages.Signed16().Select(v => (float)v)];

    public static float[] Rgb => [.. SyntheticImages.RgbPlanes().Select(v => (float)v)];

    public static float[] Frame(int k) => [.. SyntheticImages.Frame(k).Select(v => (float)v)];

    /// <summary>Mean absolute error and peak signal-to-noise ratio (dB, 8-bit peak 255).</summary>
    public static (double Mean, double Psnr) Difference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var differences = expected.Zip(actual, (e, a) => e - (double)a).ToArray();
        var mse = differences.Average(d => d * d);
        return (differences.Average(Math.Abs), mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse));
    }
}
