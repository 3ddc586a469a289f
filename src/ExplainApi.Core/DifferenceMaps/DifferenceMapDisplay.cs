namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// The one place that decides how a signed difference map is shown. METHODS.md §2: VA-GAN (Baumgartner et al., CVPR 2018)
/// reports y − x and displays −(y − x), so the evidence of the source class that the translation removes (added disease
/// evidence) is positive; CycleGAN's G(x) − x is displayed as it is. Raw maps are always translated − input.
/// </summary>
public static class DifferenceMapDisplay
{
    /// <summary>−1 for VA-GAN, +1 otherwise.</summary>
    public static int Sign(string method) => string.Equals(method, "vagan", StringComparison.OrdinalIgnoreCase) ? -1 : 1;

    /// <summary>The display convention in words, for responses.</summary>
    public static string Describe(int sign) => sign < 0
        ? "display = −(translated − input): evidence of the source class that the translation removes is positive (warm)"
        : "display = translated − input: what the translation adds is positive (warm)";

    /// <summary>
    /// The H×W map people see: <paramref name="sign"/> × (translated − input), averaged over channels.
    /// </summary>
    public static float[] Plane(ReadOnlySpan<float> map, int channels, int height, int width, int sign)
    {
        var plane = height * width;
        if (map.Length != channels * plane)
        {
            throw new ArgumentException($"Expected {channels}×{height}×{width} values, got {map.Length}.", nameof(map));
        }

        var result = new float[plane];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < plane; p++)
            {
                result[p] += map[(c * plane) + p];
            }
        }

        for (var p = 0; p < plane; p++)
        {
            result[p] *= (float)sign / channels;
        }

        return result;
    }
}
