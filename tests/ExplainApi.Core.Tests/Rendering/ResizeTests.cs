using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class ResizeTests
{
    [Fact]
    public void Upsampling_2x2_to_4x4_matches_pytorch_align_corners_false()
    {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4),
        //                                 mode="bilinear", align_corners=False)
        float[] expected =
        [
            1.00f, 1.25f, 1.75f, 2.00f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.50f, 2.75f, 3.25f, 3.50f,
            3.00f, 3.25f, 3.75f, 4.00f,
        ];

        Assert.Equal(expected, Resize.Bilinear([1f, 2f, 3f, 4f], 2, 2, 4, 4));
    }

    [Fact]
    public void Upsampling_3_to_5_samples_hand_computed_positions()
    {
        // scale 3/5: x_src = 0.6 (i + 0.5) - 0.5 = -0.2 (clamped to 0), 0.4, 1.0, 1.6, 2.2 (edge replicated).
        var result = Resize.Bilinear([0f, 10f, 20f], 1, 3, 1, 5);

        Assert.Equal([0f, 4f, 10f, 16f, 20f], result, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Halving_averages_each_2x2_block()
    {
        // scale 2: sources at 0.5 and 2.5, half way between two pixels in each direction.
        float[] source =
        [
            0f, 2f, 4f, 6f,
            2f, 4f, 6f, 8f,
            10f, 10f, 20f, 20f,
            10f, 10f, 20f, 24f,
        ];

        Assert.Equal([2f, 6f, 10f, 21f], Resize.Bilinear(source, 4, 4, 2, 2));
    }

    [Fact]
    public void The_same_size_returns_the_same_values()
    {
        float[] source = [1f, -2f, 3.5f, 4f, 5f, 6f];

        Assert.Equal(source, Resize.Bilinear(source, 2, 3, 2, 3));
    }

    [Fact]
    public void A_size_that_does_not_match_the_data_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Resize.Bilinear([1f, 2f, 3f], 2, 2, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Bilinear([1f], 1, 1, 0, 4));
    }
}
