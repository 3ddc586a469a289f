using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency.Metrics;

public class PointingGameTests
{
    private const int Size = 40;

    [Theory]
    [InlineData(20, 35, true)]  // 15 px to the right: on the boundary
    [InlineData(20, 36, false)] // 16 px
    [InlineData(29, 32, true)]  // (9, 12): exactly 15 px on a diagonal
    [InlineData(29, 33, false)] // (9, 13): 15.8 px
    [InlineData(5, 20, true)]   // 15 px above
    public void A_single_pixel_region_is_hit_within_15_pixels_of_the_maximum(int row, int column, bool hit)
    {
        Assert.Equal(hit, PointingGame.IsHit(PeakAt(20, 20), Region(row, column), Size, Size));
    }

    [Fact]
    public void With_zero_tolerance_only_the_maximum_itself_counts()
    {
        Assert.True(PointingGame.IsHit(PeakAt(3, 4), Region(3, 4), Size, Size, tolerance: 0));
        Assert.False(PointingGame.IsHit(PeakAt(3, 4), Region(3, 5), Size, Size, tolerance: 0));
    }

    [Fact]
    public void The_first_maximum_in_row_major_order_is_the_point()
    {
        var map = PeakAt(10, 10);
        map[(30 * Size) + 30] = 1f;

        Assert.Equal((10, 10), PointingGame.ArgMax(map, Size));
    }

    [Fact]
    public void An_empty_region_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PointingGame.IsHit(PeakAt(1, 1), new bool[Size * Size], Size, Size));
    }

    private static float[] PeakAt(int row, int column)
    {
        var map = new float[Size * Size];
        map[(row * Size) + column] = 1f;
        return map;
    }

    private static bool[] Region(int row, int column)
    {
        var mask = new bool[Size * Size];
        mask[(row * Size) + column] = true;
        return mask;
    }
}
