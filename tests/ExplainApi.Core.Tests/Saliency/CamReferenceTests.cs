using ExplainApi.Core.Saliency;
using static ExplainApi.Core.Tests.Saliency.SaliencyTestData;

namespace ExplainApi.Core.Tests.Saliency;

/// <summary>
/// Each method against its formula written out directly, on the seeded 3×4×4 example with the input
/// size equal to the activation size (bilinear resizing to the same size is the identity).
/// </summary>
public class CamReferenceTests
{
    private const int HW = H * W;

    [Fact]
    public void Cam_is_the_relu_of_the_head_weighted_sum_of_channels()
    {
        var x = Seeded();
        var expected = new double[HW];
        for (var i = 0; i < HW; i++)
        {
            for (var k = 0; k < K; k++)
            {
                expected[i] += x.HeadWeights![k] * (double)At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new Cam().Compute(x).Raw);
    }

    [Fact]
    public void Grad_cam_weights_channels_by_their_mean_gradient()
    {
        var x = Seeded();
        var expected = new double[HW];
        for (var k = 0; k < K; k++)
        {
            var alpha = Enumerable.Range(0, HW).Average(i => (double)At(x.Gradients!, k, i));
            for (var i = 0; i < HW; i++)
            {
                expected[i] += alpha * At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new GradCam().Compute(x).Raw);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public void Grad_cam_plus_plus_follows_equation_19_with_the_exponential_trick(int seed)
    {
        var x = Seeded(seed);
        var expected = new double[HW];
        for (var k = 0; k < K; k++)
        {
            double sumA = 0, weight = 0;
            for (var i = 0; i < HW; i++)
            {
                sumA += At(x.Activations, k, i);
            }

            for (var i = 0; i < HW; i++)
            {
                double g = At(x.Gradients!, k, i);
                var a = g == 0 ? 0 : Math.Pow(g, 2) / ((2 * Math.Pow(g, 2)) + (sumA * Math.Pow(g, 3)) + 1e-6);
                weight += a * Math.Max(g, 0);
            }

            for (var i = 0; i < HW; i++)
            {
                expected[i] += weight * At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new GradCamPlusPlus().Compute(x).Raw);
    }

    [Fact]
    public void XGrad_cam_weights_gradients_by_the_channel_normalised_activations()
    {
        var x = Seeded();
        var expected = new double[HW];
        for (var k = 0; k < K; k++)
        {
            var sumA = Enumerable.Range(0, HW).Sum(i => (double)At(x.Activations, k, i));
            var weight = Enumerable.Range(0, HW).Sum(i => At(x.Activations, k, i) / (sumA + 1e-7) * At(x.Gradients!, k, i));
            for (var i = 0; i < HW; i++)
            {
                expected[i] += weight * At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new XGradCam().Compute(x).Raw);
    }

    [Fact]
    public void Layer_cam_sums_positive_gradient_times_activation_per_position()
    {
        var x = Seeded();
        var expected = new double[HW];
        for (var i = 0; i < HW; i++)
        {
            for (var k = 0; k < K; k++)
            {
                expected[i] += Math.Max(At(x.Gradients!, k, i), 0) * (double)At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new LayerCam().Compute(x).Raw);
    }

    [Fact]
    public void HiRes_cam_sums_gradient_times_activation_per_position()
    {
        var x = Seeded();
        var expected = new double[HW];
        for (var i = 0; i < HW; i++)
        {
            for (var k = 0; k < K; k++)
            {
                expected[i] += At(x.Gradients!, k, i) * (double)At(x.Activations, k, i);
            }
        }

        AssertClose(Relu(expected), new HiResCam().Compute(x).Raw);
    }

    [Fact]
    public void Grad_cam_with_the_gap_linear_gradient_is_cam_divided_by_hw()
    {
        // For y_c = Σ_k W[c,k] mean_ij A_kij + b: ∂y_c/∂A_kij = W[c,k] / (h·w) everywhere (METHODS.md §1).
        var seeded = Seeded();
        var gradients = new float[K * HW];
        for (var i = 0; i < gradients.Length; i++)
        {
            gradients[i] = seeded.HeadWeights![i / HW] / HW;
        }

        var inputs = new SaliencyInputs(seeded.Activations, K, H, W, 16, 12, 1, gradients, seeded.HeadWeights);
        var cam = new Cam().Compute(inputs);
        var gradCam = new GradCam().Compute(inputs);

        Assert.Contains(cam.Raw, v => v > 0);
        AssertClose(Array.ConvertAll(cam.Raw, v => (double)v / HW), gradCam.Raw);
        AssertClose(Array.ConvertAll(cam.Normalized, v => (double)v), gradCam.Normalized);
    }
}
