using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class CamSeedsTests
{
    // 2×3 maps. Class 0 max 4 → [1, .5, 0, 0, .25, 0]; class 1 max 2 → [0, .5, 0, 1, 0, .1].
    private static readonly float[] Class0 = [4, 2, 0, 0, 1, 0];
    private static readonly float[] Class1 = [0, 1, 0, 2, 0, 0.2f];

    [Fact]
    public void The_seed_is_the_arg_max_over_the_alpha_background_and_the_max_normalised_maps()
    {
        // α = 16: bg = (1 − max)^16 is 1.5e-5 at max .5, 0.01 at .25, 0.185 at .1, 1 where every map is 0.
        // Pixel 1 ties the classes at .5: the earlier class wins, as np.argmax does.
        Assert.Equal([1, 1, 0, 2, 1, 0], CamSeeds.Compute([Class0, Class1], [0, 1], 2, 3));

        // α = 1: bg = 1 − max, so a pixel is foreground only where its best map exceeds .5; the tie at .5 goes to background.
        Assert.Equal([1, 0, 0, 2, 0, 0], CamSeeds.Compute([Class0, Class1], [0, 1], 2, 3, alpha: 1));
    }

    [Fact]
    public void Classes_outside_the_label_set_never_appear_and_do_not_lower_the_background()
    {
        var everywhere = Enumerable.Repeat(9f, 6).ToArray();

        var seed = CamSeeds.Compute([everywhere, Class1, null], [1], 2, 3);

        // Class 1 alone: .5 at pixel 1 beats .5^16, .1 at pixel 5 does not beat .9^16. Were class 0 counted, its
        // normalised 1 everywhere would zero the background and every pixel would be foreground.
        Assert.Equal([0, 2, 0, 2, 0, 0], seed);
    }

    [Fact]
    public void A_higher_alpha_shrinks_the_background_and_never_changes_a_foreground_pixel()
    {
        var random = new Random(3);
        var maps = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 400).Select(_ => random.NextSingle()).ToArray()).ToArray();
        double[] alphas = [1, 2, CamSeeds.ConfidentForegroundAlpha, 8, CamSeeds.DefaultAlpha, CamSeeds.ConfidentBackgroundAlpha, 64];

        var seeds = alphas.Select(a => CamSeeds.Compute(maps, [0, 2], 20, 20, a)).ToList();

        for (var i = 1; i < seeds.Count; i++)
        {
            Assert.All(Enumerable.Range(0, 400), p => Assert.True(seeds[i - 1][p] == 0 || seeds[i - 1][p] == seeds[i][p]));
            Assert.True(seeds[i].Count(v => v == 0) < seeds[i - 1].Count(v => v == 0), $"α = {alphas[i]}");
        }

        Assert.All(seeds, s => Assert.DoesNotContain((byte)2, s));
    }

    [Fact]
    public void An_empty_label_set_gives_an_all_background_seed()
    {
        Assert.All(CamSeeds.Compute([Class0, Class1], [], 2, 3), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Negative_values_are_clamped_to_zero_and_a_zero_map_stays_zero()
    {
        Assert.Equal([0f, 1f, 0.5f], CamSeeds.NormalizeByMax([-5f, 2f, 1f]));
        Assert.Equal([0f, 0f], CamSeeds.NormalizeByMax([-1f, 0f]));
        Assert.All(CamSeeds.Compute([new float[6], [-3, -1, -2, -1, -1, -1]], [0, 1], 2, 3), v => Assert.Equal(0, v));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_map_that_is_not_finite_is_refused(float bad)
    {
        var ex = Assert.Throws<ArgumentException>(() => CamSeeds.Compute([Class0, [0, bad, 0, 0, 0, 0]], [0, 1], 2, 3));
        Assert.Contains("not finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CamSeeds.Compute([Class0, Class1], [2], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CamSeeds.Compute([Class0, Class1], [0], 2, 3, alpha: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CamSeeds.Compute([Class0, Class1], [0], 2, 3, alpha: double.NaN));
        Assert.Throws<ArgumentException>(() => CamSeeds.Compute([Class0, null], [1], 2, 3));
        Assert.Throws<ArgumentException>(() => CamSeeds.Compute([Class0, Class1], [0], 3, 3));
        Assert.Throws<ArgumentException>(() => CamSeeds.FromNormalized([[0f, 1.5f]], [0], 1, 2));
    }
}
