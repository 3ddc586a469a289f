using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency;

/// <summary>Tiny hand-built and seeded activations, and the plain helpers the reference computations share.</summary>
internal static class SaliencyTestData
{
    public const int K = 3, H = 4, W = 4;

    /// <summary>The registry's methods that work on captured tensors alone (CAM, the gradient CAMs, Eigen-CAM).</summary>
    public static IEnumerable<CamMethod> CapturedCams => SaliencyMethods.All.OfType<CamMethod>();

    public static CamMethod CapturedCam(string name) => CapturedCams.Single(m => m.Name == name);

    /// <summary>A seeded 3×4×4 example: A ≥ 0 (post-ReLU features), g of both signs, a head row of both signs.</summary>
    public static SaliencyInputs Seeded(int seed = 7, int inputHeight = H, int inputWidth = W)
    {
        var random = new Random(seed);
        var activations = Fill(K * H * W, () => (float)(2 * random.NextDouble()));
        var gradients = Fill(K * H * W, () => (float)((2 * random.NextDouble()) - 1));
        var head = Fill(K, () => (float)((2 * random.NextDouble()) - 1));
        return new SaliencyInputs(activations, K, H, W, inputHeight, inputWidth, targetClass: 1, gradients, head);
    }

    /// <summary>
    /// 8×8 activations: channel 0 a blob in the top-left quadrant, channel 1 in the bottom-right; the
    /// gradients and head weights favour <paramref name="favoured"/> (+1) over the other (−0.5).
    /// </summary>
    public static SaliencyInputs TwoBlobs(int favoured)
    {
        const int size = 8;
        var activations = new float[2 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                activations[(y * size) + x] = Blob(y, x, 1.5, 1.5);
                activations[(size * size) + (y * size) + x] = Blob(y, x, 5.5, 5.5);
            }
        }

        float[] weight = favoured == 0 ? [1f, -0.5f] : [-0.5f, 1f];
        var gradients = new float[activations.Length];
        for (var i = 0; i < gradients.Length; i++)
        {
            gradients[i] = weight[i / (size * size)];
        }

        return new SaliencyInputs(activations, 2, size, size, 32, 32, favoured, gradients, weight);
    }

    public static double[] Relu(double[] map) => Array.ConvertAll(map, v => Math.Max(v, 0));

    public static float At(float[] values, int k, int i) => values[(k * H * W) + i];

    public static void AssertClose(double[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1, expected.Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"at {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static float Blob(int y, int x, double cy, double cx) =>
        (float)(0.05 + Math.Exp(-(((y - cy) * (y - cy)) + ((x - cx) * (x - cx))) / 2.0));

    private static float[] Fill(int n, Func<float> next)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = next();
        }

        return values;
    }
}
