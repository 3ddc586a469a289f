using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class SquaresDatasetTests
{
    private static readonly SquaresDataset Reference = new(count: 1000, size: 112, seed: 1);

    [Fact]
    public void The_same_seed_and_index_give_the_same_pixels_in_a_new_instance()
    {
        var again = new SquaresDataset(count: 1000, size: 112, seed: 1);
        foreach (var index in new[] { 0, 1, 3, 999 })
        {
            var (a, b) = (Reference.Get(index), again.Get(index));
            Assert.Equal(a.Pixels, b.Pixels);
            Assert.Equal(a.Mask, b.Mask);
            Assert.Equal(a.Label, b.Label);
        }
    }

    [Fact]
    public void Different_indices_and_seeds_give_different_images()
    {
        Assert.NotEqual(Reference.Get(0).Pixels, Reference.Get(2).Pixels);
        Assert.NotEqual(Reference.Get(0).Pixels, new SquaresDataset(1000, 112, seed: 2).Get(0).Pixels);
    }

    [Fact]
    public void Concurrent_reads_match_sequential_ones()
    {
        var expected = Enumerable.Range(0, 16).Select(i => Reference.Get(i).Pixels).ToArray();
        var actual = new float[16][];
        Parallel.For(0, 64, i => actual[i % 16] = Reference.Get(i % 16).Pixels);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Ten_thousand_images_are_5000_normal_2500_subtype_A_and_2500_subtype_B()
    {
        var dataset = new SquaresDataset();
        var subtypes = Enumerable.Range(0, dataset.Count).Select(dataset.SubtypeOf).ToList();
        Assert.Equal(5000, subtypes.Count(s => s == SquaresSubtype.None));
        Assert.Equal(2500, subtypes.Count(s => s == SquaresSubtype.A));
        Assert.Equal(2500, subtypes.Count(s => s == SquaresSubtype.B));
        Assert.Equal(["normal", "abnormal"], dataset.ClassNames);
        Assert.Equal("synthetic:squares?n=10000&size=112&seed=1", dataset.Reference);
        Assert.Equal(InputNormalization.MinMaxSymmetric, dataset.Normalization);
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(dataset.SubtypeOf(i) == SquaresSubtype.None ? 0 : 1, dataset.LabelOf(i)));
    }

    [Fact]
    public void Every_image_spans_exactly_minus_one_to_one()
    {
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            var pixels = Reference.Get(index).Pixels;
            Assert.Equal(-1f, pixels.Min(), 5);
            Assert.Equal(1f, pixels.Max(), 5);
        }
    }

    [Fact]
    public void Normal_images_average_zero_after_scaling()
    {
        var means = Enumerable.Range(0, 100).Select(i => Reference.Get(2 * i).Pixels.Average()).ToList();
        Assert.InRange(means.Average(), -0.05, 0.05);
        Assert.All(means, m => Assert.InRange(m, -0.35, 0.35));
    }

    [Fact]
    public void The_noise_is_smooth_neighbouring_pixels_correlate_as_a_2_5_pixel_gaussian_implies()
    {
        // Unit-variance white noise smoothed by a Gaussian of σ has lag-1 autocorrelation exp(−1/(4σ²)) ≈ 0.96 at σ = 2.5.
        var pixels = Reference.Get(0).Pixels.Select(v => (double)v).ToArray();
        var mean = pixels.Average();
        double lagged = 0, variance = 0;
        for (var y = 0; y < 112; y++)
        {
            for (var x = 0; x < 112; x++)
            {
                var v = pixels[(y * 112) + x] - mean;
                variance += v * v;
                if (x < 111)
                {
                    lagged += v * (pixels[(y * 112) + x + 1] - mean);
                }
            }
        }

        Assert.InRange(lagged / variance * 112 / 111, 0.9, 0.99);
    }

    [Fact]
    public void Abnormal_images_are_brighter_inside_the_mask_and_normal_masks_are_empty()
    {
        for (var index = 0; index < 40; index++)
        {
            var sample = Reference.Get(index);
            if (sample.Label == 0)
            {
                Assert.All(sample.Mask!, m => Assert.Equal(0f, m));
                continue;
            }

            var inside = sample.Pixels.Where((_, i) => sample.Mask![i] > 0).Average();
            var outside = sample.Pixels.Where((_, i) => sample.Mask![i] == 0).Average();
            Assert.True(inside - outside > 0.3, $"sample {index}: inside {inside}, outside {outside}");
        }
    }

    [Fact]
    public void The_mask_is_the_central_box_plus_one_jittered_corner_box_of_the_subtype()
    {
        var rowOffsets = new HashSet<int>();
        for (var index = 1; index < 600; index += 2)
        {
            var mask = Reference.Get(index).Mask!;
            Assert.Equal(800, mask.Count(m => m > 0));
            for (var r = 46; r <= 65; r++)
            {
                for (var c = 46; c <= 65; c++)
                {
                    Assert.Equal(1f, mask[(r * 112) + c]);
                }
            }

            var corner = Reference.BoxesOf(index)[1];
            var centre = Reference.SubtypeOf(index) == SquaresSubtype.A ? 88 : 24;
            Assert.InRange(corner.Top - (centre - 10), -5, 4);
            Assert.InRange(corner.Left - (centre - 10), -5, 4);
            Assert.Equal(20, corner.Side);
            Assert.All(Enumerable.Range(0, 112 * 112), i =>
                Assert.Equal(corner.Contains(i / 112, i % 112) || Reference.Geometry.CentralBox.Contains(i / 112, i % 112) ? 1f : 0f, mask[i]));
            rowOffsets.Add(corner.Top - (centre - 10));
        }

        Assert.Equal(Enumerable.Range(-5, 10), rowOffsets.Order());
    }

    [Fact]
    public void Subtype_A_boxes_lie_bottom_right_and_subtype_B_boxes_top_left()
    {
        Assert.Equal(SquaresSubtype.A, Reference.SubtypeOf(1));
        Assert.Equal(SquaresSubtype.B, Reference.SubtypeOf(3));
        Assert.InRange(Reference.BoxesOf(1)[1].Top, 73, 82);
        Assert.InRange(Reference.BoxesOf(3)[1].Top, 9, 18);
        Assert.Empty(Reference.BoxesOf(0));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void Smaller_images_scale_the_geometry_and_keep_every_box_inside(int size)
    {
        var dataset = new SquaresDataset(count: 200, size: size, seed: 7);
        var geometry = dataset.Geometry;
        Assert.Equal(Math.Round(20.0 * size / 112, MidpointRounding.AwayFromZero), geometry.BoxSide);
        for (var index = 1; index < 200; index += 2)
        {
            var sample = dataset.Get(index);
            Assert.Equal(size * size, sample.Pixels.Length);
            var boxes = dataset.BoxesOf(index);
            Assert.All(boxes, b => Assert.True(b.Top >= 0 && b.Left >= 0 && b.Top + b.Side <= size && b.Left + b.Side <= size, $"{b} at {size}"));
            Assert.Equal(boxes.Sum(b => b.Side * b.Side), sample.Mask!.Count(m => m > 0));
        }
    }

    [Theory]
    [InlineData(3, 112)]
    [InlineData(2, 112)]
    [InlineData(100, 8)]
    public void Invalid_parameters_are_refused(int count, int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SquaresDataset(count, size));

    [Fact]
    public void The_gaussian_kernel_follows_scipy_radius_and_sums_to_one()
    {
        var kernel = GaussianBlur.Kernel(2.5);
        Assert.Equal(21, kernel.Length);
        Assert.Equal(1.0, kernel.Sum(), 12);
        var plane = Enumerable.Repeat(3f, 20 * 30).ToArray();
        GaussianBlur.Apply(plane, 20, 30, 2.5);
        Assert.All(plane, v => Assert.Equal(3f, v, 4));
    }
}
