using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency.Metrics;

public class NormalizedCrossCorrelationTests
{
    private static readonly float[] GroundTruth = [0f, 1f, 3f, 0.5f, 2f, 0f];

    [Theory]
    [InlineData(NccSign.SignedValues)]
    [InlineData(NccSign.AbsoluteValues)]
    public void Identical_maps_score_one(NccSign sign)
    {
        Assert.Equal(1.0, NormalizedCrossCorrelation.Compute(GroundTruth, GroundTruth, sign), 12);
    }

    [Fact]
    public void A_negated_map_scores_minus_one_signed_and_one_absolute()
    {
        var negated = Array.ConvertAll(GroundTruth, v => -v);

        Assert.Equal(-1.0, NormalizedCrossCorrelation.Compute(negated, GroundTruth, NccSign.SignedValues), 12);
        Assert.Equal(1.0, NormalizedCrossCorrelation.Compute(negated, GroundTruth, NccSign.AbsoluteValues), 12);
    }

    [Fact]
    public void A_hand_computed_pair_scores_its_pearson_correlation()
    {
        // Deviations (−1.5, −0.5, 0.5, 1.5) and (−1.5, 0.5, −0.5, 1.5): covariance 4, variances 5 → 0.8.
        Assert.Equal(0.8, NormalizedCrossCorrelation.Compute([1f, 2f, 3f, 4f], [1f, 3f, 2f, 4f], NccSign.SignedValues), 12);
    }

    [Fact]
    public void Signs_that_disagree_with_the_region_cancel_only_when_signed()
    {
        float[] map = [-1f, 1f, -2f, 2f];
        float[] truth = [1f, 1f, 2f, 2f];

        Assert.Equal(0.0, NormalizedCrossCorrelation.Compute(map, truth, NccSign.SignedValues), 12);
        Assert.Equal(1.0, NormalizedCrossCorrelation.Compute(map, truth, NccSign.AbsoluteValues), 12);
    }

    [Fact]
    public void A_constant_map_scores_zero()
    {
        Assert.Equal(0.0, NormalizedCrossCorrelation.Compute([2f, 2f, 2f, 2f], [0f, 1f, 0f, 1f], NccSign.SignedValues));
    }

    [Fact]
    public void Maps_of_different_sizes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => NormalizedCrossCorrelation.Compute([1f, 2f], [1f, 2f, 3f], NccSign.SignedValues));
    }
}
