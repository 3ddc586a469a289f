using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Lesions;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>lesions at 64 px (mixed: even indices brain, odd noise), and at 112 px where sizes are checked.</summary>
public sealed class LesionsDatasetTests
{
    private static readonly LesionsDataset Small = new(new LesionsOptions { Count = 60, Size = 64, Seed = 5 });

    [Fact]
    public void The_same_seed_and_index_give_the_same_pixels_labels_and_segmentation_in_a_new_instance()
    {
        var again = new LesionsDataset(new LesionsOptions { Count = 60, Size = 64, Seed = 5 });
        foreach (var index in new[] { 0, 1, 6, 59 })
        {
            var (a, b) = (Small.Get(index), again.Get(index));
            Assert.Equal(a.Pixels, b.Pixels);
            Assert.Equal(a.Labels, b.Labels);
            Assert.Equal(a.Segmentation, b.Segmentation);
            Assert.Equal(a.Pixels, Small.Get(index).Pixels);
        }

        Assert.NotEqual(Small.Get(0).Pixels, new LesionsDataset(new LesionsOptions { Count = 60, Size = 64, Seed = 6 }).Get(0).Pixels);
    }

    [Fact]
    public void Concurrent_reads_match_sequential_ones()
    {
        var expected = Enumerable.Range(0, 8).Select(i => Small.Get(i).Pixels).ToArray();
        var actual = new float[8][];
        Parallel.For(0, 32, i => actual[i % 8] = Small.Get(i % 8).Pixels);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Samples_are_one_channel_images_in_minus_one_to_one_with_three_labels_and_a_segmentation()
    {
        Assert.Equal((1, 64, 64, 60), (Small.Channels, Small.Height, Small.Width, Small.Count));
        Assert.Equal(["blob", "thin", "tiny"], Small.ClassNames);
        Assert.Equal(InputNormalization.MinMaxSymmetric, Small.Normalization);
        Assert.True(Small.HasMasks && Small.HasSegmentation);
        Assert.Equal("synthetic:lesions?n=60&size=64&seed=5&background=mixed&max=3", Small.Reference);
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            var sample = Small.Get(index);
            Assert.Equal(64 * 64, sample.Pixels.Length);
            Assert.Equal(64 * 64, sample.Mask!.Length);
            Assert.Equal(64 * 64, sample.Segmentation!.Length);
            Assert.Equal(3, sample.Labels!.Length);
            Assert.Equal(-1f, sample.Pixels.Min(), 5);
            Assert.Equal(1f, sample.Pixels.Max(), 5);
        }
    }

    [Fact]
    public void Labels_mask_and_key_are_read_off_the_final_segmentation_and_LabelsOf_agrees_without_pixels()
    {
        for (var index = 0; index < Small.Count; index++)
        {
            var sample = Small.Get(index);
            var segmentation = sample.Segmentation!;
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(segmentation.Any(s => s == c + 1) ? 1f : 0f, sample.Labels![c]);
            }

            Assert.All(segmentation, s => Assert.InRange(s, (byte)0, (byte)3));
            Assert.Equal(Array.ConvertAll(segmentation, s => s > 0 ? 1f : 0f), sample.Mask);
            Assert.Equal(sample.Labels, Small.LabelsOf(index));
            Assert.Equal((int)sample.Labels!.Sum(), sample.Label);
            Assert.Equal(sample.Label, Small.LabelOf(index));
        }
    }

    [Fact]
    public void Each_class_is_in_half_to_nine_tenths_of_the_images_and_some_images_are_empty()
    {
        var dataset = new LesionsDataset(new LesionsOptions { Count = 400, Size = 64, Seed = 2 });
        var labels = Enumerable.Range(0, dataset.Count).Select(dataset.LabelsOf).ToArray();
        for (var c = 0; c < 3; c++)
        {
            Assert.InRange(labels.Count(l => l[c] == 1) / 400.0, 0.5, 0.9);
        }

        Assert.InRange(labels.Count(l => l.Sum() == 0) / 400.0, 0.03, 0.15);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(0, new LesionsDataset(new LesionsOptions { Count = 40, Size = 64, MaxPerClass = 0 }).LabelOf(i)));
    }

    [Fact]
    public void Thin_lesions_mostly_vanish_under_a_3x3_erosion_while_blobs_mostly_survive()
    {
        var dataset = new LesionsDataset(new LesionsOptions { Count = 40, Size = 112, Seed = 3, Background = LesionBackground.Noise });
        var (thin, thinKept, blob, blobKept) = (0, 0, 0, 0);
        for (var index = 0; index < dataset.Count; index++)
        {
            var segmentation = dataset.Get(index).Segmentation!;
            for (var p = 0; p < segmentation.Length; p++)
            {
                var kept = Eroded(segmentation, 112, p);
                (thin, thinKept) = segmentation[p] == 2 ? (thin + 1, thinKept + (kept ? 1 : 0)) : (thin, thinKept);
                (blob, blobKept) = segmentation[p] == 1 ? (blob + 1, blobKept + (kept ? 1 : 0)) : (blob, blobKept);
            }
        }

        Assert.True(thin > 500 && blob > 1000, $"thin {thin}, blob {blob} pixels");
        Assert.True(thinKept < 0.25 * thin, $"{thinKept} of {thin} thin pixels survive erosion");
        Assert.True(blobKept > 0.6 * blob, $"{blobKept} of {blob} blob pixels survive erosion");
    }

    [Fact]
    public void Tiny_lesions_are_separate_spots_of_at_most_30_pixels()
    {
        var dataset = new LesionsDataset(new LesionsOptions { Count = 40, Size = 112, Seed = 4 });
        var spots = new List<int>();
        for (var index = 0; index < dataset.Count; index++)
        {
            spots.AddRange(ComponentSizes(dataset.Get(index).Segmentation!, 112, 3));
        }

        Assert.True(spots.Count > 40, $"{spots.Count} tiny spots");
        Assert.All(spots, size => Assert.InRange(size, 1, 30));
    }

    [Theory]
    [InlineData(LesionBackground.Brain)]
    [InlineData(LesionBackground.Noise)]
    public void Lesions_lie_inside_the_brain_or_within_the_noise_images_margin(LesionBackground background)
    {
        var dataset = new LesionsDataset(new LesionsOptions { Count = 30, Size = 64, Seed = 9, Background = background });
        var painted = 0;
        for (var index = 0; index < dataset.Count; index++)
        {
            var (segmentation, allowed) = (dataset.Get(index).Segmentation!, dataset.AllowedAreaOf(index));
            Assert.All(Enumerable.Range(0, segmentation.Length).Where(p => segmentation[p] > 0), p => Assert.True(allowed[p]));
            Assert.True(allowed.Count(a => a) < 0.9 * allowed.Length); // brain: the head leaves the corners empty; noise: the margin
            painted += segmentation.Count(s => s > 0);
        }

        Assert.True(painted > 1000);
    }

    [Fact]
    public void Standard_splits_stratify_by_how_many_classes_an_image_holds()
    {
        var split = DatasetSplits.Standard(Small, 1);
        Assert.Equal(Enumerable.Range(0, 60), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.Contains(split.Test, i => Small.LabelOf(i) == 3); // a key equal to the class count is a group too
    }

    [Fact]
    public void A_memoized_lesions_set_stays_multi_label()
    {
        var memoized = Assert.IsAssignableFrom<IMultiLabelDataset>(MemoizedDataset.For(Small, MemoizedDataset.DefaultBudgetBytes));
        Assert.Equal(Small.LabelsOf(3), memoized.LabelsOf(3));
        Assert.Same(memoized.Get(3), memoized.Get(3));
        Assert.Equal(Small.Get(3).Segmentation, memoized.Get(3).Segmentation);
        Assert.IsType<MemoizedDataset>(MemoizedDataset.For(new SquaresDataset(count: 8, size: 16), 1000));
    }

    private static bool Eroded(byte[] segmentation, int size, int p)
    {
        var (row, column) = (p / size, p % size);
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                var (y, x) = (row + dy, column + dx);
                if (y < 0 || x < 0 || y >= size || x >= size || segmentation[(y * size) + x] != segmentation[p])
                {
                    return false;
                }
            }
        }

        return true;
    }

    // 8-connected components of one class.
    private static List<int> ComponentSizes(byte[] segmentation, int size, byte value)
    {
        var seen = new bool[segmentation.Length];
        var sizes = new List<int>();
        for (var start = 0; start < segmentation.Length; start++)
        {
            if (seen[start] || segmentation[start] != value)
            {
                continue;
            }

            var (stack, count) = (new Stack<int>([start]), 0);
            seen[start] = true;
            while (stack.TryPop(out var p))
            {
                count++;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (y, x) = ((p / size) + dy, (p % size) + dx);
                        if (y >= 0 && x >= 0 && y < size && x < size && !seen[(y * size) + x] && segmentation[(y * size) + x] == value)
                        {
                            seen[(y * size) + x] = true;
                            stack.Push((y * size) + x);
                        }
                    }
                }
            }

            sizes.Add(count);
        }

        return sizes;
    }
}
