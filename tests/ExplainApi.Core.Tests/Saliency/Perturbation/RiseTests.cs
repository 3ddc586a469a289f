using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

public class RiseTests
{
    private const int Size = TinyLinearModel.Size;

    [Fact]
    public void Masks_that_keep_the_evidence_for_class_1_peak_in_the_top_left_quadrant()
    {
        var model = new TinyLinearModel();
        var map = new Rise(masks: 500, seed: 1).Compute(model.Context(), model.Image(), targetClass: 1);

        var (row, column) = PointingGame.ArgMax(map.Raw, Size);
        Assert.True(model.InTopLeft((row * Size) + column), $"arg-max at ({row}, {column})");
        PerturbationAssert.WellFormed(map, "rise", 1, Size, Size);
    }

    [Fact]
    public void The_raw_map_is_an_importance_weighted_mean_of_probabilities()
    {
        // Σ_i P_i m_i / (N p) with 0 ≤ P_i ≤ 1 and masks in [0, 1]: non-negative and at most 1/p.
        var model = new TinyLinearModel();
        var map = new Rise(masks: 200, keepProbability: 0.5, seed: 2, scoring: RiseScoring.Paper).Compute(model.Context(), model.Image(), 0);

        Assert.All(map.Raw, v => Assert.InRange(v, 0f, 2f));
        Assert.False(map.IsSigned);
    }

    [Fact]
    public void A_model_that_ignores_the_image_gives_a_flat_centred_map_where_the_paper_scaling_shows_the_masks()
    {
        // Every masked copy scores the same: the pixels carry no evidence. Eq. 6 still varies with each pixel's
        // mask count (the pattern a saturated classifier shows); the centred estimate is exactly 0.
        var constant = new ForwardContext(1, Size, Size, 2, (_, batch) =>
        {
            var logits = new float[batch * 2];
            for (var b = 0; b < batch; b++)
            {
                logits[(b * 2) + 1] = 8f;
            }

            return logits;
        });
        var image = new TinyLinearModel().Image();
        var centred = new Rise(masks: 64, seed: 3).Compute(constant, image, 1);
        var paper = new Rise(masks: 64, seed: 3, scoring: RiseScoring.Paper).Compute(constant, image, 1);

        Assert.All(centred.Raw, v => Assert.Equal(0f, v, 1e-6f));
        Assert.True(centred.IsSigned);
        Assert.True(paper.Raw.Max() - paper.Raw.Min() > 0.1f, "eq. 6 follows the mask counts");
    }

    [Fact]
    public void The_same_seed_gives_the_same_map_and_another_seed_another()
    {
        var model = new TinyLinearModel();
        var first = new Rise(masks: 100, seed: 5).Compute(model.Context(), model.Image(), 1);
        var again = new Rise(masks: 100, seed: 5).Compute(model.Context(), model.Image(), 1);
        var other = new Rise(masks: 100, seed: 6).Compute(model.Context(), model.Image(), 1);

        Assert.Equal(first.Raw, again.Raw);
        Assert.NotEqual(first.Raw, other.Raw);
    }

    [Fact]
    public void The_batch_size_does_not_change_the_map()
    {
        var model = new TinyLinearModel();
        var one = new Rise(masks: 70, seed: 9).Compute(model.Context(1), model.Image(), 1);
        var many = new Rise(masks: 70, seed: 9).Compute(model.Context(32), model.Image(), 1);

        Assert.Equal(one.Raw, many.Raw);
        Assert.Equal(one.Normalized, many.Normalized);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void Masks_are_evaluated_in_ceil_n_over_max_batch_calls(int maxBatch)
    {
        var model = new TinyLinearModel();
        new Rise(masks: 70).Compute(model.Context(maxBatch), model.Image(), 1);

        Assert.Equal(PerturbationAssert.Calls(70, maxBatch), model.Calls);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rise(masks: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rise(gridSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rise(keepProbability: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rise(keepProbability: 1.5));
    }
}
