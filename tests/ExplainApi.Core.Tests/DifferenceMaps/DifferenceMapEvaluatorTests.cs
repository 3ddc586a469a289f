using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Brain;
using ExplainApi.Core.DifferenceMaps;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class DifferenceMapEvaluatorTests
{
    private readonly SquaresDataset _squares = new(count: 16, size: 16, seed: 2);

    private int[] Abnormal => DifferenceSummarizer.OfClass(_squares, Enumerable.Range(0, _squares.Count).ToArray(), "abnormal");

    [Fact]
    public void A_generator_that_removes_exactly_the_boxes_scores_ncc_1_per_subtype_flips_every_image_and_keeps_its_energy_inside()
    {
        var scores = DifferenceMapEvaluator.Evaluate(new MaskTranslator(_squares), new LookupClassifier(_squares), _squares, Abnormal,
            i => _squares.SubtypeOf(i).ToString());

        Assert.Equal(8, scores.Images);
        Assert.Equal(1.0, scores.NccSigned.Mean, 6);
        Assert.Equal(1.0, scores.NccAbsolute.Mean, 6);
        Assert.Equal(["A", "B"], scores.Subtypes.Select(s => s.Subtype));
        Assert.Equal(8, scores.Subtypes.Sum(s => s.NccSigned.Count));
        Assert.All(scores.Subtypes, s => Assert.Equal(1.0, s.NccSigned.Mean, 6));
        Assert.Equal(1.0, scores.FlipRate);
        Assert.Equal(1.0, scores.EnergyInside.Mean, 6);
        var boxShare = Abnormal.Average(i => _squares.Get(i).Mask!.Average());
        Assert.Equal(0.5 * boxShare, scores.MeanAbsoluteMap.Mean, 5);
    }

    [Fact]
    public void Adding_the_boxes_instead_is_the_right_place_with_the_wrong_sign()
    {
        var scores = DifferenceMapEvaluator.Evaluate(new MaskTranslator(_squares, factor: 1f), null, _squares, Abnormal);

        Assert.Equal(-1.0, scores.NccSigned.Mean, 6);
        Assert.Equal(1.0, scores.NccAbsolute.Mean, 6);
        Assert.True(double.IsNaN(scores.FlipRate));
        Assert.Empty(scores.Subtypes);
    }

    [Fact]
    public void Images_without_a_ground_truth_region_are_not_scored()
    {
        var normal = DifferenceSummarizer.OfClass(_squares, Enumerable.Range(0, _squares.Count).ToArray(), "normal");

        var scores = DifferenceMapEvaluator.Evaluate(new MaskTranslator(_squares), null, _squares, normal);

        Assert.Equal(0, scores.Images);
        Assert.Equal(0, scores.NccSigned.Count);
    }

    [Fact]
    public void On_brain_atrophy_the_signed_change_is_the_truth_and_its_strong_part_the_region()
    {
        var brain = new BrainAtrophyDataset(new BrainAtrophyOptions { Count = 8, Size = 64, Seed = 4 });
        var atrophy = DifferenceSummarizer.OfClass(brain, Enumerable.Range(0, brain.Count).ToArray(), "atrophy");

        // y = x − change: the perfect map of "what makes it healthy again".
        var scores = DifferenceMapEvaluator.Evaluate(new MaskTranslator(brain, factor: -1f), null, brain, atrophy);

        Assert.Equal(4, scores.Images);
        Assert.Equal(1.0, scores.NccSigned.Mean, 6);
        Assert.InRange(scores.EnergyInside.Mean, 0.6, 1.0); // |change| > 0.1 holds most of the energy, not all of it
    }
}
