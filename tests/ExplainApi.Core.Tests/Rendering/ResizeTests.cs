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
    public void Wide_rows_equal_the_four_tap_formula_per_pixel()
    {
        // Rows wider than a SIMD vector with a tail (7x5 -> 45x53): every output is the bilinear blend of its four source
        // taps, written out per pixel from the same positions as the hand-computed test above.
        var source = Enumerable.Range(0, 35).Select(i => MathF.Sin(i * 1.7f) * 3f).ToArray();
        var result = Resize.Bilinear(source, 7, 5, 45, 53);
        for (var y = 0; y < 45; y++)
        {
            var (y0, y1, wy) = Tap(y, 7, 45);
            for (var x = 0; x < 53; x++)
            {
                var (x0, x1, wx) = Tap(x, 5, 53);
                var upper = ((1 - wx) * source[(y0 * 5) + x0]) + (wx * source[(y0 * 5) + x1]);
                var lower = ((1 - wx) * source[(y1 * 5) + x0]) + (wx * source[(y1 * 5) + x1]);
                Assert.Equal(((1 - wy) * upper) + (wy * lower), result[(y * 53) + x], 5);
            }
        }
    }

    private static (int I0, int I1, float W) Tap(int i, int inSize, int outSize)
    {
        var src = Math.Max(((float)inSize / outSize * (i + 0.5f)) - 0.5f, 0f);
        var i0 = Math.Min((int)src, inSize - 1);
        return (i0, Math.Min(i0 + 1, inSize - 1), src - i0);
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
