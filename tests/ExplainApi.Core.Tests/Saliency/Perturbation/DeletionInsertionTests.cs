using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

public class DeletionInsertionTests
{
    [Fact]
    public void A_perfect_map_deletes_faster_and_inserts_faster_than_its_reverse()
    {
        var model = new TinyLinearModel();
        var image = model.Image();
        // The exact per-pixel evidence for class 1 of this linear model: (W_1 − W_0)·x.
        var perfect = image.Select((x, i) => (model.Weights[1][i] - model.Weights[0][i]) * x).ToArray();
        var reversed = Array.ConvertAll(perfect, v => -v);

        var good = DeletionInsertion.Compute(model.Context(), image, perfect, targetClass: 1);
        var bad = DeletionInsertion.Compute(model.Context(), image, reversed, targetClass: 1);

        Assert.True(good.DeletionAuc < bad.DeletionAuc, $"deletion {good.DeletionAuc} vs {bad.DeletionAuc}");
        Assert.True(good.InsertionAuc > bad.InsertionAuc, $"insertion {good.InsertionAuc} vs {bad.InsertionAuc}");
    }

    [Fact]
    public void Deletion_starts_and_insertion_ends_at_the_unperturbed_probability()
    {
        var model = new TinyLinearModel();
        var image = model.Image();
        var result = DeletionInsertion.Compute(model.Context(), image, new float[image.Length], targetClass: 1);
        var unperturbed = Softmax.Of(model.Logits(image))[1];
        var allBaseline = Softmax.Of(model.Logits(new float[image.Length]))[1];

        Assert.Equal(DeletionInsertion.Steps + 1, result.DeletionCurve.Length);
        Assert.Equal(DeletionInsertion.Steps + 1, result.InsertionCurve.Length);
        Assert.Equal(unperturbed, result.DeletionCurve[0], 1e-12);
        Assert.Equal(allBaseline, result.DeletionCurve[^1], 1e-12);
        Assert.Equal(unperturbed, result.InsertionCurve[^1], 1e-12);
        Assert.InRange(result.DeletionAuc, 0, 1);
        Assert.InRange(result.InsertionAuc, 0, 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void Both_curves_are_evaluated_in_ceil_130_over_max_batch_calls(int maxBatch)
    {
        var model = new TinyLinearModel();
        var image = model.Image();
        var one = DeletionInsertion.Compute(model.Context(1), image, image, 1);
        var calls = model.Calls;
        var batched = DeletionInsertion.Compute(model.Context(maxBatch), image, image, 1);

        Assert.Equal(PerturbationAssert.Calls(2 * (DeletionInsertion.Steps + 1), maxBatch), model.Calls - calls);
        Assert.Equal(one.DeletionCurve, batched.DeletionCurve);
        Assert.Equal(one.InsertionCurve, batched.InsertionCurve);
    }

    [Fact]
    public void The_area_is_the_trapezoid_rule_over_the_unit_interval()
    {
        Assert.Equal(0.5, DeletionInsertion.Auc([0, 0.25, 0.5, 0.75, 1]), 1e-12);
        Assert.Equal(1.0, DeletionInsertion.Auc([1, 1]), 1e-12);
        Assert.Equal(0.25, DeletionInsertion.Auc([0, 0.5, 0]), 1e-12);
    }

    [Fact]
    public void A_map_of_the_wrong_size_is_refused()
    {
        var model = new TinyLinearModel();
        Assert.Throws<ArgumentException>(() => DeletionInsertion.Compute(model.Context(), model.Image(), new float[3], 1));
    }
}
