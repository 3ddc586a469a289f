using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.Tests.Saliency;

public sealed class GroundTruthRegionTests
{
    [Fact]
    public void Binary_masks_and_signed_change_maps_both_mark_their_changed_pixels()
    {
        Assert.True(GroundTruthRegion.Inside(1f));
        Assert.False(GroundTruthRegion.Inside(0f));
        Assert.True(GroundTruthRegion.Inside(-0.4f)); // atrophy darkens: a negative change is inside
        Assert.False(GroundTruthRegion.Inside(-0.01f)); // the deformation's faint tail is not
        Assert.False(GroundTruthRegion.Any(new float[16]));
        Assert.False(GroundTruthRegion.Any(null));
    }

    [Fact]
    public void On_squares_the_region_is_exactly_the_boxes()
    {
        var squares = new SquaresDataset(count: 8, size: 32, seed: 5);
        for (var i = 0; i < squares.Count; i++)
        {
            var mask = squares.Get(i).Mask!;
            Assert.Equal(mask.Select(v => v > 0.5f), mask.Select(GroundTruthRegion.Inside));
            Assert.Equal(squares.LabelOf(i) == 1, GroundTruthRegion.Any(mask));
        }
    }
}
