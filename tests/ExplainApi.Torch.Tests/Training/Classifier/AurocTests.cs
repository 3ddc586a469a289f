using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Training.Classifier;

public sealed class AurocTests
{
    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.8, 0.9 }, new[] { false, false, true, true }, 1.0)]    // perfect ranking
    [InlineData(new[] { 0.9, 0.8, 0.2, 0.1 }, new[] { false, false, true, true }, 0.0)]    // perfectly wrong
    [InlineData(new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { false, true, false, true }, 0.5)]    // all tied: every pair counts ½
    [InlineData(new[] { 0.1, 0.4, 0.35, 0.8 }, new[] { false, false, true, true }, 0.75)]  // 3 of 4 pairs ordered (the sklearn example)
    [InlineData(new[] { 0.2, 0.5, 0.5, 0.9 }, new[] { false, false, true, true }, 0.875)]  // pairs: (0.5,0.2)=1 (0.5,0.5)=½ (0.9,·)=2 → 3.5/4
    [InlineData(new[] { 0.3, 0.7, 0.7, 0.7, 0.1 }, new[] { true, true, false, false, false }, 0.5)] // 0.3: 0+0+1; 0.7: ½+½+1 → 3/6
    public void Matches_hand_computed_values(double[] scores, bool[] labels, double expected) =>
        Assert.Equal(expected, Auroc.Compute(scores, labels), 12);

    [Fact]
    public void Is_undefined_without_positives_or_without_negatives()
    {
        Assert.True(double.IsNaN(Auroc.Compute([0.1, 0.9], [true, true])));
        Assert.True(double.IsNaN(Auroc.Compute([0.1, 0.9], [false, false])));
        Assert.True(double.IsNaN(Auroc.Compute([], [])));
    }

    [Fact]
    public void Refuses_scores_and_labels_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1, 0.2], [true]));
}
