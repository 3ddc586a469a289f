using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Brain;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>brain-atrophy at 64 px (the template is loaded once per process, so each test costs milliseconds).</summary>
public sealed class BrainAtrophyDatasetTests
{
    private static readonly BrainAtrophyDataset Small = new(new BrainAtrophyOptions { Count = 40, Size = 64, Seed = 7 });

    [Fact]
    public void The_same_seed_and_index_give_the_same_pixels_and_change_in_a_new_instance()
    {
        var again = new BrainAtrophyDataset(new BrainAtrophyOptions { Count = 40, Size = 64, Seed = 7 });
        foreach (var index in new[] { 0, 1, 6, 39 })
        {
            var (a, b) = (Small.Get(index), again.Get(index));
            Assert.Equal(a.Pixels, b.Pixels);
            Assert.Equal(a.Mask, b.Mask);
            Assert.Equal(a.Label, b.Label);
        }
    }

    [Fact]
    public void Different_indices_and_seeds_are_different_subjects()
    {
        Assert.NotEqual(Small.RegionMaskOf(0), Small.RegionMaskOf(2));
        Assert.NotEqual(Small.Get(0).Pixels, Small.Get(2).Pixels);
        Assert.NotEqual(Small.Get(1).Mask, Small.Get(3).Mask);
        Assert.NotEqual(Small.Get(0).Pixels, new BrainAtrophyDataset(new BrainAtrophyOptions { Count = 40, Size = 64, Seed = 8 }).Get(0).Pixels);
    }

    [Fact]
    public void Concurrent_reads_match_sequential_ones()
    {
        var dataset = new BrainAtrophyDataset(new BrainAtrophyOptions { Count = 40, Size = 64, Seed = 3 });
        var expected = Enumerable.Range(0, 8).Select(i => Small.Get(i).Mask).ToArray();
        var actual = new float[8][];
        Parallel.For(0, 32, i => actual[i % 8] = Small.Get(i % 8).Mask!);
        Assert.Equal(expected, actual);
        Parallel.For(0, 8, i => dataset.Get(i)); // fields of fresh slices made concurrently
        Assert.Equal(new BrainAtrophyDataset(dataset.Options).Get(5).Pixels, dataset.Get(5).Pixels);
    }

    [Fact]
    public void Images_are_one_channel_size_by_size_spanning_minus_one_to_one_with_balanced_labels()
    {
        Assert.Equal((1, 64, 64, 40), (Small.Channels, Small.Height, Small.Width, Small.Count));
        Assert.Equal(["normal", "atrophy"], Small.ClassNames);
        Assert.Equal(InputNormalization.MinMaxSymmetric, Small.Normalization);
        Assert.True(Small.HasMasks);
        Assert.Equal("synthetic:brain-atrophy?n=40&size=64&seed=7&severity=20&zmin=-18&zmax=14&noise=3&regions=15", Small.Reference);
        Assert.Equal(20, Enumerable.Range(0, 40).Count(i => Small.LabelOf(i) == 1));
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            var sample = Small.Get(index);
            Assert.Equal(index & 1, sample.Label);
            Assert.Equal(64 * 64, sample.Pixels.Length);
            Assert.Equal(64 * 64, sample.Mask!.Length);
            Assert.Equal(-1f, sample.Pixels.Min(), 5);
            Assert.Equal(1f, sample.Pixels.Max(), 5);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Small.Get(40));
    }

    [Fact]
    public void Class_0_masks_are_all_zero_and_class_1_masks_are_not()
    {
        for (var index = 0; index < 12; index++)
        {
            var mask = Small.Get(index).Mask!;
            Assert.Equal(index % 2 == 1, mask.Any(v => v != 0));
        }
    }

    [Fact]
    public void The_change_is_the_atrophied_image_minus_the_same_subject_without_atrophy()
    {
        // At severity 0 class 1 is the healthy subject; its pixels minus the severity-20 mask reproduce it up to float rounding.
        var healthy = new BrainAtrophyDataset(Small.Options with { Severity = 0 });
        foreach (var index in new[] { 1, 3, 5 })
        {
            var (changed, before) = (Small.Get(index), healthy.Get(index));
            Assert.All(before.Mask!, v => Assert.Equal(0f, v));
            var rebuilt = changed.Pixels.Zip(changed.Mask!, (v, c) => v - c).ToArray();
            // Equal up to the min–max scale (each image has its own); the atrophied image itself correlates only ~0.98.
            Assert.True(Correlation(rebuilt, before.Pixels) > 0.99999, $"index {index}: {Correlation(rebuilt, before.Pixels)}");
        }
    }

    [Fact]
    public void Most_of_the_change_lies_in_the_chosen_structures_and_their_rim()
    {
        foreach (var index in new[] { 1, 3, 5, 7, 9, 11 })
        {
            var mask = Small.Get(index).Mask!;
            var region = Small.RegionMaskOf(index);
            Assert.InRange(region.Count(v => v), 100, 64 * 64 / 6); // the structures cover 3–15 % of the image
            var (within, rim) = (EnergyShare(mask, region), EnergyShare(mask, Dilate(region, 64, radius: 3)));
            Assert.True(within > 0.5 && rim > 0.85, $"index {index}: {within:F3} of the change energy inside the structures, {rim:F3} within 3 px of them");
        }
    }

    [Fact]
    public void The_change_grows_with_severity_and_vanishes_at_zero()
    {
        var levels = new[] { 0, 10, 20, 30 }.Select(s => MeanAbsoluteChange(new BrainAtrophyDataset(Small.Options with { Severity = s }))).ToArray();
        Assert.Equal(0, levels[0]);
        Assert.True(levels[1] > 0 && levels[1] < levels[2] && levels[2] < levels[3], string.Join(", ", levels));
        Assert.Equal(0, MeanAbsoluteChange(new BrainAtrophyDataset(Small.Options with { Regions = AtrophyRegions.None })));
    }

    [Fact]
    public void Only_the_chosen_structures_change()
    {
        var ventricles = new BrainAtrophyDataset(Small.Options with { Regions = AtrophyRegions.Ventricles, ZMin = 10, ZMax = 14 });
        var index = 1;
        var mask = ventricles.Get(index).Mask!;
        var near = Dilate(ventricles.RegionMaskOf(index), 64, radius: 3);
        Assert.Contains(mask, v => v != 0);
        Assert.All(Enumerable.Range(0, mask.Length).Where(p => !near[p]), p => Assert.True(Math.Abs(mask[p]) < 0.05f));
    }

    private static double EnergyShare(float[] change, bool[] inside)
    {
        double within = 0, total = 0;
        for (var p = 0; p < change.Length; p++)
        {
            total += change[p] * change[p];
            within += inside[p] ? change[p] * change[p] : 0;
        }

        return within / total;
    }

    private static double MeanAbsoluteChange(BrainAtrophyDataset dataset) =>
        Enumerable.Range(0, 6).Select(i => (2 * i) + 1).Average(i => dataset.Get(i).Mask!.Average(v => Math.Abs(v)));

    private static bool[] Dilate(bool[] inside, int size, int radius)
    {
        var result = new bool[inside.Length];
        for (var p = 0; p < inside.Length; p++)
        {
            if (!inside[p])
            {
                continue;
            }

            var (r, c) = (p / size, p % size);
            for (var dr = -radius; dr <= radius; dr++)
            {
                for (var dc = -radius; dc <= radius; dc++)
                {
                    var (rr, cc) = (r + dr, c + dc);
                    if ((uint)rr < (uint)size && (uint)cc < (uint)size && (dr * dr) + (dc * dc) <= radius * radius)
                    {
                        result[(rr * size) + cc] = true;
                    }
                }
            }
        }

        return result;
    }

    private static double Correlation(float[] a, float[] b)
    {
        var (ma, mb) = (a.Average(), b.Average());
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            (ab, aa, bb) = (ab + ((a[i] - ma) * (b[i] - mb)), aa + ((a[i] - ma) * (a[i] - ma)), bb + ((b[i] - mb) * (b[i] - mb)));
        }

        return ab / Math.Sqrt(aa * bb);
    }
}
