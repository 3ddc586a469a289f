using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Gradients;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

public class GradientAttributionTests
{
    [Fact]
    public void Integrated_gradients_are_complete_up_to_a_small_reported_gap()
    {
        var model = new TwoBlobModel();
        var image = TwoBlobModel.Image();

        var map = Compute(new IntegratedGradients(), model, image, 1, new SaliencyOptions());
        var details = map.Details;

        var difference = model.Logit(image, 1) - model.Logit(new float[image.Length], 1);
        Assert.Equal(difference, details[IntegratedGradients.ScoreDifference], 1e-5);
        Assert.Equal(map.Raw.Sum(v => (double)v), details[IntegratedGradients.AttributionSum], 1e-4);
        Assert.Equal(details[IntegratedGradients.AttributionSum] - difference, details[IntegratedGradients.CompletenessGap], 1e-6);
        Assert.True(Math.Abs(details[IntegratedGradients.CompletenessGap]) < 0.02 * Math.Abs(difference), $"gap {details[IntegratedGradients.CompletenessGap]} of {difference}");
    }

    [Fact]
    public void More_integrated_gradient_steps_shrink_the_completeness_gap()
    {
        var gap = (int steps) => Math.Abs(Compute(new IntegratedGradients(), new TwoBlobModel(), TwoBlobModel.Image(), 1,
            new SaliencyOptions { IntegratedGradientsSteps = steps }).Details[IntegratedGradients.CompletenessGap]);

        Assert.True(gap(256) < gap(4), $"{gap(256)} vs {gap(4)}");
    }

    [Fact]
    public void Smooth_grad_without_noise_is_the_vanilla_gradient()
    {
        var (model, image) = (new TwoBlobModel(), TwoBlobModel.Image());

        var smooth = Compute(new SmoothGrad(), model, image, 0, new SaliencyOptions { SmoothGradNoise = 0, SmoothGradSamples = 3 });
        var vanilla = Compute(new VanillaGradient(), model, image, 0, new SaliencyOptions());

        Assert.Equal(vanilla.Raw, smooth.Raw, (a, b) => Math.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public void Smooth_grad_repeats_for_a_seed_whatever_the_batch_size_and_differs_for_another_seed()
    {
        var options = new SaliencyOptions { SmoothGradSamples = 9, Seed = 4 };
        var image = TwoBlobModel.Image();

        var one = Compute(new SmoothGrad(), new TwoBlobModel(maxBatch: 1), image, 0, options);
        var many = Compute(new SmoothGrad(), new TwoBlobModel(maxBatch: 32), image, 0, options);
        var other = Compute(new SmoothGrad(), new TwoBlobModel(), image, 0, options with { Seed = 5 });

        Assert.Equal(one.Raw, many.Raw);
        Assert.NotEqual(one.Raw, other.Raw);
    }

    [Fact]
    public void The_vanilla_gradient_is_the_largest_absolute_channel_gradient()
    {
        var (model, image) = (new TwoBlobModel(), TwoBlobModel.Image());
        var gradient = model.Gradients(image, 1, [1]).InputGradients;

        var map = Compute(new VanillaGradient(), model, image, 1, new SaliencyOptions());

        const int pixels = TwoBlobModel.Size * TwoBlobModel.Size;
        Assert.Equal(Enumerable.Range(0, pixels).Select(p => Math.Max(Math.Abs(gradient[p]), Math.Abs(gradient[pixels + p]))), map.Raw);
    }

    private static SaliencyMap Compute(ISaliencyMethod method, TwoBlobModel model, float[] image, int target, SaliencyOptions options) =>
        method.Compute(new ExplanationContext(model, image, target, options));
}
