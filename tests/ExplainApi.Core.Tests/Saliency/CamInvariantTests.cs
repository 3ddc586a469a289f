using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency;

public class CamInvariantTests
{
    public static TheoryData<string> Names => [.. SaliencyTestData.CapturedCams.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_method_returns_finite_nonnegative_maps_at_the_input_size_normalised_to_0_1(string name)
    {
        var method = SaliencyTestData.CapturedCam(name);
        for (var seed = 0; seed < 5; seed++)
        {
            var map = method.Compute(SaliencyTestData.Seeded(seed, inputHeight: 20, inputWidth: 24));

            Assert.Equal((name, 20, 24), (map.Method, map.Height, map.Width));
            Assert.Equal(20 * 24, map.Raw.Length);
            Assert.Equal(20 * 24, map.Normalized.Length);
            Assert.All(map.Raw, v => Assert.True(float.IsFinite(v) && v >= 0, $"raw {v}"));
            Assert.All(map.Normalized, v => Assert.InRange(v, 0f, 1f));
            if (map.Raw.Max() > map.Raw.Min())
            {
                Assert.Equal(1f, map.Normalized.Max(), 1e-6f);
                Assert.Equal(0f, map.Normalized.Min(), 1e-6f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_raw_map_is_the_bilinear_upsampling_of_the_map_at_activation_size(string name)
    {
        var method = SaliencyTestData.CapturedCam(name);
        var small = method.Compute(SaliencyTestData.Seeded(3));
        var large = method.Compute(SaliencyTestData.Seeded(3, inputHeight: 13, inputWidth: 9));

        var expected = Core.Rendering.Resize.Bilinear(small.Raw, 4, 4, 13, 9);

        Assert.Equal(expected, large.Raw, (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1f, Math.Abs(a)));
    }

    [Fact]
    public void Zero_gradients_give_an_all_zero_map_and_an_all_zero_normalisation()
    {
        var seeded = SaliencyTestData.Seeded();
        var inputs = new SaliencyInputs(seeded.Activations, 3, 4, 4, 8, 8, 0, gradients: new float[seeded.Activations.Length]);

        foreach (var method in SaliencyTestData.CapturedCams.Where(m => m.Needs.HasFlag(SaliencyNeeds.ActivationGradients)))
        {
            var map = method.Compute(inputs);

            Assert.All(map.Raw, v => Assert.Equal(0f, v));
            Assert.All(map.Normalized, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Eigen_cam_of_spatially_constant_channels_is_all_zero()
    {
        var inputs = new SaliencyInputs(Enumerable.Repeat(2f, 3 * 16).ToArray(), 3, 4, 4, 8, 8, 0);

        var map = new EigenCam().Compute(inputs);

        Assert.All(map.Raw, v => Assert.Equal(0f, v));
        Assert.All(map.Normalized, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Grad_cam_plus_plus_without_epsilon_stays_finite_where_gradients_are_zero()
    {
        var seeded = SaliencyTestData.Seeded();
        var gradients = (float[])seeded.Gradients!.Clone();
        Array.Clear(gradients, 0, 20);
        var inputs = new SaliencyInputs(seeded.Activations, 3, 4, 4, 8, 8, 0, gradients);

        var map = new GradCamPlusPlus(epsilon: 0).Compute(inputs);

        Assert.All(map.Raw, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(map.Raw, v => v > 0);
    }
}
