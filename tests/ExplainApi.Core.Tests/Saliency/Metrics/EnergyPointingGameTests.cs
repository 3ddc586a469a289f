using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency.Metrics;

public class EnergyPointingGameTests
{
    [Fact]
    public void A_map_entirely_inside_the_region_scores_one()
    {
        bool[] mask = [false, true, true, false];

        Assert.Equal(1.0, EnergyPointingGame.Score([0f, 0.3f, 1f, 0f], mask), 12);
    }

    [Fact]
    public void The_score_is_the_share_of_the_mass_inside()
    {
        bool[] mask = [true, false, true, false];

        Assert.Equal(0.75, EnergyPointingGame.Score([1f, 0.25f, 0.5f, 0.25f], mask), 6);
    }

    [Fact]
    public void An_all_zero_map_scores_zero()
    {
        Assert.Equal(0.0, EnergyPointingGame.Score(new float[4], [true, true, false, false]));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void A_map_outside_0_1_is_rejected(float value)
    {
        Assert.Throws<ArgumentException>(() => EnergyPointingGame.Score([0.5f, value], [true, false]));
    }
}
