using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public class CrfLatticeFilterTests
{
    // White noise (the hardest input: nothing to average away) on a seeded 12×10 image, D^−½KD^−½ on both sides; the bounds
    // sit just past the measured values (in brackets). Grey (d = 2, 3) is within ~2.5 %; colour (d = 5) in a sparse feature
    // space is coarser, as the lattice's 3-tap blur and simplex interpolation degrade with d (Adams et al. 2010, §5).
    [Theory]
    [InlineData(1, 3f, null, 0.99, 0.02)] // positions only: 0.9956, 0.013
    [InlineData(1, 5f, 13f, 0.98, 0.035)] // 0.9893, 0.025
    [InlineData(1, 80f, 13f, 0.98, 0.03)] // the CRF's appearance kernel: 0.9942, 0.015
    [InlineData(1, 2f, 30f, 0.98, 0.035)] // 0.9874, 0.026
    [InlineData(3, 80f, 13f, 0.98, 0.04)] // 0.9873, 0.031
    [InlineData(3, 5f, 13f, 0.95, 0.085)] // 0.9556, 0.072
    public void The_lattice_filter_matches_the_exact_gaussian_after_symmetric_normalisation(int channels, float theta, float? beta, double minCorrelation, double maxRelativeError)
    {
        var (image, _) = CrfTestData.Shapes(5, 10, 12, channels, 3);
        var features = CrfTestData.Features(image, theta, beta);
        var d = features.Length / image.PixelCount;
        var values = CrfTestData.Uniform(9, image.PixelCount * 2);

        var exact = CrfTestData.SymmetricFilter(CrfTestData.Kernel(features, d), values, 2);
        var lattice = CrfTestData.LatticeSymmetricFilter(new PermutohedralLattice(features, d), values, 2).Select(v => (double)v).ToArray();

        Assert.InRange(CrfTestData.Correlation(lattice, exact), minCorrelation, 1);
        Assert.InRange(CrfTestData.RelativeError(lattice, exact), 0, maxRelativeError);
    }

    [Fact]
    public void A_larger_sigma_filters_noise_more_smoothly()
    {
        var (image, _) = CrfTestData.Shapes(3, 32, 32, 1, 2);
        var noise = CrfTestData.Uniform(4, image.PixelCount);
        var ones = Enumerable.Repeat(1f, image.PixelCount).ToArray();

        // Roughness of K·v / K·1 (a normalised Gaussian blur): the mean squared difference of horizontal neighbours.
        var roughness = new[] { 1f, 2f, 4f, 8f }.Select(theta =>
        {
            var lattice = new PermutohedralLattice(CrfTestData.Features(image, theta, null), 2);
            var (blurred, weight) = (new float[noise.Length], new float[noise.Length]);
            lattice.Filter(noise, blurred, 1);
            lattice.Filter(ones, weight, 1);
            return Enumerable.Range(0, noise.Length - 1).Where(i => (i + 1) % image.Width != 0)
                .Average(i => Math.Pow((blurred[i + 1] / weight[i + 1]) - (blurred[i] / weight[i]), 2));
        }).ToArray();

        Assert.True(roughness.Zip(roughness.Skip(1)).All(pair => pair.Second < pair.First / 2), string.Join(", ", roughness));
    }

    [Fact]
    public void Filtering_all_channels_at_once_equals_filtering_each_alone()
    {
        const int channels = 19; // two SIMD vectors and a scalar tail
        var (image, _) = CrfTestData.Shapes(8, 16, 20, 3, 3);
        var lattice = new PermutohedralLattice(CrfTestData.Features(image, 10, 13), 5);
        var values = CrfTestData.Uniform(2, image.PixelCount * channels);
        var together = new float[values.Length];
        lattice.Filter(values, together, channels);

        for (var c = 0; c < channels; c++)
        {
            var single = Enumerable.Range(0, image.PixelCount).Select(i => values[(i * channels) + c]).ToArray();
            var alone = new float[single.Length];
            lattice.Filter(single, alone, 1);
            for (var i = 0; i < alone.Length; i++)
            {
                Assert.Equal(alone[i], together[(i * channels) + c], 4);
            }
        }
    }

    [Fact]
    public void One_point_filters_to_itself_times_the_lattice_gain()
    {
        var lattice = new PermutohedralLattice([0.3f, -1.2f, 4f], 3);
        var output = new float[2];

        lattice.Filter(new[] { 2f, -1f }, output, 2);

        Assert.Equal(4, lattice.VertexCount);
        Assert.True(output[0] > 0 && output[1] < 0);
        Assert.Equal(-2, output[0] / output[1], 4);
    }
}
