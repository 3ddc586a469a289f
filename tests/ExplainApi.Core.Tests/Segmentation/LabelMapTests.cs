using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class LabelMapTests
{
    [Fact]
    public void ArgMax_takes_the_first_highest_class_per_pixel_across_planes()
    {
        // K = 3 planes of 2×2: pixel 0 → class 2, pixel 1 → tie 0/1 → 0, pixel 2 → class 1, pixel 3 → class 0.
        float[] scores = [0.1f, 0.5f, 0.2f, 0.7f, /**/ 0.3f, 0.5f, 0.6f, 0.2f, /**/ 0.6f, 0.0f, 0.2f, 0.1f];

        Assert.Equal([2, 0, 1, 0], LabelMap.ArgMax(scores, 3, 2, 2));
    }

    [Fact]
    public void Nearest_resize_repeats_labels_and_never_invents_a_class()
    {
        byte[] labels = [0, 1, 2, 3];

        Assert.Equal([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3], LabelMap.ResizeNearest(labels, 2, 2, 4, 4));
        Assert.Equal([0], LabelMap.ResizeNearest(labels, 2, 2, 1, 1));
    }

    [Fact]
    public void Regions_give_each_class_its_area_and_bounding_box()
    {
        byte[] labels =
        [
            0, 0, 0, 0,
            0, 1, 1, 0,
            0, 0, 1, 2,
        ];

        var regions = LabelMap.Regions(labels, width: 4, classes: 4);

        Assert.Equal(new LabelRegion(1, 3, new PixelBox(1, 1, 2, 2)), regions[1]);
        Assert.Equal(new LabelRegion(2, 1, new PixelBox(3, 2, 1, 1)), regions[2]);
        Assert.Equal(new LabelRegion(3, 0, null), regions[3]);
        Assert.Equal(8, regions[0].Area);
    }

    [Fact]
    public void Masks_are_8_bit_grey_PNGs_of_the_label_map_size()
    {
        var png = LabelMapRenderer.MaskPng([0, 1, 1, 0, 2, 1], height: 2, width: 3, classIndex: 1);

        Assert.Equal(0x89, png[0]);
        Assert.Equal(3, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]); // IHDR width
        Assert.Equal((byte)8, png[24]); // bit depth
        Assert.Equal((byte)0, png[25]); // grey
    }
}
