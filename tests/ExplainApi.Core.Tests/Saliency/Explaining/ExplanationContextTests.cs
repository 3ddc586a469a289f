using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

public class ExplanationContextTests
{
    [Fact]
    public void Several_methods_share_one_forward_and_one_gradient_pass()
    {
        var model = new TwoBlobModel();
        var context = new ExplanationContext(model, TwoBlobModel.Image());

        foreach (var name in new[] { "cam", "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam", "eigencam", "gradient" })
        {
            Assert.True(SaliencyMethods.TryGet(name, out var method));
            method.Compute(context);
        }

        Assert.Equal([1], model.ForwardBatches);
        Assert.Equal([1], model.GradientBatches);
    }

    [Fact]
    public void Provided_passes_replace_the_contexts_own_and_a_pass_for_another_class_is_refused()
    {
        var model = new TwoBlobModel();
        var image = TwoBlobModel.Image();
        var forward = model.Forward(image, 1);
        var forOne = model.Gradients(image, 1, [1]);
        var forZero = model.Gradients(image, 1, [0]);
        var (forwardCalls, gradientCalls) = (model.ForwardBatches.Count, model.GradientBatches.Count);
        var context = new ExplanationContext(model, image, 1);

        context.Provide(forward);
        Assert.Throws<ArgumentException>(() => context.Provide(forZero));
        context.Provide(forOne);
        Assert.True(SaliencyMethods.TryGet("gradcam", out var gradcam));
        gradcam.Compute(context);

        Assert.Same(forward, context.Forward);
        Assert.Same(forOne, context.Gradients);
        Assert.Equal(forwardCalls, model.ForwardBatches.Count);
        Assert.Equal(gradientCalls, model.GradientBatches.Count);
    }

    [Theory]
    [InlineData("scorecam", 3)]
    [InlineData("occlusion", 1)]
    [InlineData("rise", 2)]
    public void Perturbation_methods_send_batches_of_at_most_max_batch(string name, int maxBatch)
    {
        var model = new TwoBlobModel(maxBatch: maxBatch);
        Assert.True(SaliencyMethods.TryGet(name, out var method));

        method.Compute(new ExplanationContext(model, TwoBlobModel.Image(), 0, new SaliencyOptions { RiseMasks = 7 }));

        Assert.All(model.ForwardBatches, b => Assert.InRange(b, 1, maxBatch));
        Assert.Contains(maxBatch, model.ForwardBatches);
    }

    [Fact]
    public void Ablation_cam_runs_the_head_on_the_unablated_and_the_k_ablated_activations_in_batches()
    {
        var model = new TwoBlobModel(maxBatch: 3);

        new Core.Saliency.AblationCam().Compute(new ExplanationContext(model, TwoBlobModel.Image(), 0));

        Assert.Equal([3, 1], model.HeadBatches);
        Assert.Equal([1], model.ForwardBatches);
    }

    [Theory]
    [InlineData("smoothgrad", 10)]
    [InlineData("integratedgradients", 65)]
    public void Input_gradient_methods_batch_their_passes_with_the_target_repeated(string name, int items)
    {
        var model = new TwoBlobModel(maxBatch: 8);
        Assert.True(SaliencyMethods.TryGet(name, out var method));

        method.Compute(new ExplanationContext(model, TwoBlobModel.Image(), 1, new SaliencyOptions { SmoothGradSamples = 10 }));

        Assert.Equal(items, model.GradientBatches.Sum());
        Assert.All(model.GradientBatches, b => Assert.InRange(b, 1, 8));
    }

    [Fact]
    public void A_model_that_returns_nan_logits_is_reported_as_such()
    {
        var context = new ExplanationContext(new NanModel(), new float[4]);

        Assert.Throws<NonFiniteModelOutputException>(() => context.TargetClass);
        Assert.Throws<NonFiniteModelOutputException>(() => context.Batches.Probabilities(new float[4]));
    }

    private sealed class NanModel : IExplainableModel
    {
        public ModelShape Shape => new(1, 2, 2, 2);

        public string? TargetLayer => null;

        public bool HasActivations => false;

        public bool HasGradients => false;

        public bool HasLinearHead => false;

        public bool HasSeparableHead => false;

        public int MaxBatch => 4;

        public ForwardPass Forward(float[] inputs, int batch) => new([.. Enumerable.Repeat(float.NaN, 2 * batch)], null, null);

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => throw new NotSupportedException();

        public float[] HeadWeights(int targetClass) => throw new NotSupportedException();

        public float[] HeadLogits(float[] activations, int batch) => throw new NotSupportedException();
    }
}
