using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

public class OcclusionTests
{
    private const int Size = TinyLinearModel.Size;

    [Fact]
    public void Occluding_the_evidence_for_class_1_peaks_in_the_top_left_quadrant()
    {
        var model = new TinyLinearModel();
        var map = new Occlusion().Compute(model.Context(), model.Image(), targetClass: 1);

        var (row, column) = PointingGame.ArgMax(map.Raw, Size);
        Assert.True(model.InTopLeft((row * Size) + column), $"arg-max at ({row}, {column})");
        PerturbationAssert.WellFormed(map, "occlusion", 1, Size, Size);
    }

    [Fact]
    public void A_pixel_covered_by_one_patch_gets_that_patchs_drop_in_probability()
    {
        var model = new TinyLinearModel();
        var image = model.Image();
        var map = new Occlusion(patchSize: 4, stride: 4).Compute(model.Context(), image, targetClass: 1);

        var occluded = (float[])image.Clone();
        for (var y = 0; y < 4; y++)
        {
            Array.Fill(occluded, 0f, y * Size, 4);
        }

        var expected = Probability1(model, image) - Probability1(model, occluded);
        Assert.Equal(expected, map.Raw[(2 * Size) + 1], 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void Patches_and_the_unoccluded_image_are_evaluated_in_ceil_items_over_max_batch_calls(int maxBatch)
    {
        // Default patch round(16/8) = 2, stride 1: 15 × 15 patches, plus the image itself.
        var model = new TinyLinearModel();
        new Occlusion().Compute(model.Context(maxBatch), model.Image(), targetClass: 1);

        Assert.Equal(PerturbationAssert.Calls((15 * 15) + 1, maxBatch), model.Calls);
        Assert.All(model.BatchSizes, b => Assert.InRange(b, 1, maxBatch));
    }

    [Fact]
    public void The_batch_size_does_not_change_the_map()
    {
        var model = new TinyLinearModel();
        var one = new Occlusion(patchSize: 3, stride: 2).Compute(model.Context(1), model.Image(), 1);
        var many = new Occlusion(patchSize: 3, stride: 2).Compute(model.Context(32), model.Image(), 1);

        Assert.Equal(one.Raw, many.Raw);
        Assert.Equal(one.Normalized, many.Normalized);
    }

    [Fact]
    public void A_stride_that_misses_the_far_edge_still_covers_every_pixel()
    {
        var model = new TinyLinearModel();
        var map = new Occlusion(patchSize: 5, stride: 5).Compute(model.Context(), model.Image(), 1);

        // Offsets 0, 5, 10 and a last patch at 11: the bottom-right pixel has a drop, not a 0/0.
        Assert.All(map.Raw, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(PerturbationAssert.Calls((4 * 4) + 1, 32), model.Calls);
    }

    [Fact]
    public void Bad_settings_and_inputs_are_refused()
    {
        var model = new TinyLinearModel();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Occlusion(patchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Occlusion(stride: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Occlusion().Compute(model.Context(), model.Image(), 2));
        Assert.Throws<ArgumentException>(() => new Occlusion().Compute(model.Context(), new float[3], 1));
    }

    private static double Probability1(TinyLinearModel model, float[] image) => Softmax.Of(model.Logits(image))[1];
}
