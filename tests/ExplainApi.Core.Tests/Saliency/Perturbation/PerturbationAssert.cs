using ExplainApi.Core.Saliency;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

internal static class PerturbationAssert
{
    public static int Calls(int items, int maxBatch) => (items + maxBatch - 1) / maxBatch;

    /// <summary>H×W raw and normalised planes, finite, the normalised one in [0, 1] with its extremes attained.</summary>
    public static void WellFormed(SaliencyMap map, string method, int targetClass, int height, int width)
    {
        Assert.Equal(method, map.Method);
        Assert.Equal(targetClass, map.TargetClass);
        Assert.Equal((height, width), (map.Height, map.Width));
        Assert.Equal(height * width, map.Raw.Length);
        Assert.Equal(height * width, map.Normalized.Length);
        Assert.All(map.Raw, v => Assert.True(float.IsFinite(v)));
        Assert.All(map.Normalized, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(0f, map.Normalized.Min());
        Assert.Equal(1f, map.Normalized.Max(), 1e-6f);
    }
}
