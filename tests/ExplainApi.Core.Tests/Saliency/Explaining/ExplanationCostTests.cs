using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

public class ExplanationCostTests
{
    private static readonly TwoBlobModel Model = new();

    private static readonly SaliencyOptions Small = new() { RiseMasks = 40, SmoothGradSamples = 5, IntegratedGradientsSteps = 6, OcclusionPatch = 4, OcclusionStride = 4 };

    [Fact]
    public void More_rise_masks_cost_more_and_any_rise_costs_more_than_grad_cam()
    {
        var rise10000 = Cost("rise", new SaliencyOptions { RiseMasks = 10_000 });
        var rise2000 = Cost("rise", SaliencyOptions.Default);
        var gradCam = Cost("gradcam", SaliencyOptions.Default);

        Assert.True(rise10000 > rise2000 && rise2000 > gradCam, $"rise 10000: {rise10000}, rise 2000: {rise2000}, gradcam: {gradCam}");
        Assert.Equal(10_001.0 / 2001, (double)rise10000 / rise2000, precision: 3);
    }

    [Fact]
    public void Occlusion_with_a_one_pixel_patch_costs_far_more_than_with_an_eight_pixel_patch()
    {
        var patch1 = Cost("occlusion", new SaliencyOptions { OcclusionPatch = 1, OcclusionStride = 1 });
        var patch8 = Cost("occlusion", new SaliencyOptions { OcclusionPatch = 8 });

        // 16² positions + the image against 3² + the image (stride 4 on 16 pixels: offsets 0, 4, 8).
        Assert.Equal((16 * 16) + 1 + 1, patch1 / (16 * 16));
        Assert.Equal((3 * 3) + 1 + 1, patch8 / (16 * 16));
    }

    [Fact]
    public void The_cost_is_linear_in_the_number_of_images()
    {
        var methods = SaliencyMethods.All;

        var one = ExplanationCost.Of(Model, methods, SaliencyOptions.Default, 1);

        Assert.Equal(16 * one, ExplanationCost.Of(Model, methods, SaliencyOptions.Default, 16), tolerance: 16);
        Assert.Equal(0, ExplanationCost.Of(Model, methods, SaliencyOptions.Default, 0));
    }

    [Fact]
    public void A_gradient_request_counts_one_gradient_pass_of_three_and_a_half_forwards_shared_by_its_methods()
    {
        // The runner's one pass: the gradient pass's logits and activations serve as the forward.
        var gradCam = ExplanationCost.PerImage(Model, [SaliencyMethods.All.Single(m => m.Name == "gradcam")], SaliencyOptions.Default);
        var five = ExplanationCost.PerImage(Model, SaliencyMethods.All.Where(m => m is CamMethod && m.NeedsGradients), SaliencyOptions.Default);

        Assert.Equal(new ModelPasses(0, 1), gradCam);
        Assert.Equal(gradCam, five);
        Assert.Equal(3.5, gradCam.Weighted);
        Assert.Equal(new ModelPasses(1), ExplanationCost.PerImage(Model, [SaliencyMethods.All.Single(m => m.Name == "eigencam")], SaliencyOptions.Default));
    }

    [Fact]
    public void A_model_with_a_pass_pruned_to_activation_gradients_prices_the_gradient_cams_at_about_one_forward()
    {
        var model = new WrappedModel(Model, pruned: true);
        var gradCam = SaliencyMethods.All.Single(m => m.Name == "gradcam");
        var gradient = SaliencyMethods.All.Single(m => m.Name == "gradient");

        Assert.Equal(new ModelPasses(ExplanationCost.ActivationGradientPassWeight), ExplanationCost.PerImage(model, [gradCam], SaliencyOptions.Default));
        Assert.Equal(new ModelPasses(0, 1), ExplanationCost.PerImage(model, [gradCam, gradient], SaliencyOptions.Default)); // ∂y/∂x: the full pass
        Assert.True(ExplanationCost.Of(model, [gradCam], SaliencyOptions.Default, 1) < ExplanationCost.Of(Model, [gradCam], SaliencyOptions.Default, 1));
    }

    [Fact]
    public void Score_cam_and_ablation_cam_count_one_pass_per_channel_and_assume_2048_when_the_model_does_not_say()
    {
        var scoreCam = SaliencyMethods.All.Single(m => m.Name == "scorecam");
        var ablationCam = SaliencyMethods.All.Single(m => m.Name == "ablationcam");

        Assert.Equal(new ModelPasses(TwoBlobModel.K), scoreCam.Passes(Model, SaliencyOptions.Default));
        Assert.Equal(new ModelPasses(TwoBlobModel.K + 1), scoreCam.Passes(Model, new SaliencyOptions { ScoreCamSubtractBaseline = true }));
        Assert.Equal(new ModelPasses(0, 0, TwoBlobModel.K + 1), ablationCam.Passes(Model, SaliencyOptions.Default));
        Assert.Equal(new ModelPasses(ExplanationCost.AssumedChannels), scoreCam.Passes(new WrappedModel(Model, sized: false), SaliencyOptions.Default));
    }

    [Fact]
    public void Fast_score_cam_counts_k_masked_forwards_at_most_k_and_its_default_when_k_is_not_given()
    {
        var scoreCam = SaliencyMethods.All.Single(m => m.Name == "scorecam");
        var fast = new SaliencyOptions { ScoreCamMode = Core.Saliency.Perturbation.ScoreCamMode.Fast };

        Assert.Equal(new ModelPasses(2), scoreCam.Passes(Model, fast with { ScoreCamChannels = 2 }));
        Assert.Equal(new ModelPasses(2 + 1), scoreCam.Passes(Model, fast with { ScoreCamChannels = 2, ScoreCamSubtractBaseline = true }));
        Assert.Equal(new ModelPasses(TwoBlobModel.K), scoreCam.Passes(Model, fast with { ScoreCamChannels = 50 }));
        Assert.Equal(new ModelPasses(ExplanationCost.AssumedChannels / 16), scoreCam.Passes(new WrappedModel(Model, sized: false), fast));
        Assert.True(ExplanationCost.Of(Model, [scoreCam], fast with { ScoreCamChannels = 1 }, 1) < ExplanationCost.Of(Model, [scoreCam], SaliencyOptions.Default, 1));

        var model = new TwoBlobModel();
        scoreCam.Compute(new ExplanationContext(model, TwoBlobModel.Image(), options: fast with { ScoreCamChannels = 2 }));
        Assert.Equal(1 + 2, model.ForwardBatches.Sum()); // the image's forward, then the 2 masked copies
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Every_method_runs_no_more_passes_than_its_estimate_and_the_sampling_methods_exactly_as_many(string name)
    {
        var method = SaliencyMethods.All.Single(m => m.Name == name);
        var model = new TwoBlobModel();
        var context = new ExplanationContext(model, TwoBlobModel.Image(), options: Small);
        if (method.NeedsGradients)
        {
            // What the runner shares among the methods of a request: one gradient pass, which serves as the forward too.
            var pass = ((IExplainableModel)model).Gradients(TwoBlobModel.Image(), 1, [-1], SaliencyNeedsOf.Gradients([method]), default);
            context.Provide(new ForwardPass(pass.Logits, pass.Activations, pass.ActivationShape));
            context.Provide(pass);
        }
        else
        {
            _ = context.Forward;
        }

        method.Compute(context);

        var actual = new ModelPasses(model.ForwardBatches.Sum(), model.GradientBatches.Sum(), model.HeadBatches.Sum());
        var estimate = ExplanationCost.PerImage(model, [method], Small);
        Assert.True(actual.Forward <= estimate.Forward && actual.Gradient <= estimate.Gradient && actual.Head <= estimate.Head, $"{name}: ran {actual}, estimated {estimate}");
        if (name is not "scorecam")
        {
            Assert.Equal(estimate, actual); // Score-CAM skips channels that are constant on the image: an upper bound
        }
    }

    public static TheoryData<string> MethodNames() => [.. SaliencyMethods.All.Select(m => m.Name)];

    private static long Cost(string method, SaliencyOptions options) =>
        ExplanationCost.Of(Model, [SaliencyMethods.All.Single(m => m.Name == method)], options, 1);

    // The same model, claiming a pass pruned to ∂y_c/∂A (as an exported ONNX graph with its ∂y/∂A-only session), or without
    // a known activation shape (the interface's default).
    private sealed class WrappedModel(TwoBlobModel inner, bool pruned = false, bool sized = true) : IExplainableModel
    {
        public ModelShape Shape => inner.Shape;

        public string? TargetLayer => inner.TargetLayer;

        public ActivationShape? ActivationShape => sized ? ((IExplainableModel)inner).ActivationShape : null;

        public bool HasActivations => true;

        public bool HasGradients => true;

        public bool HasActivationGradientPass => pruned;

        public bool HasLinearHead => true;

        public bool HasSeparableHead => true;

        public int MaxBatch => inner.MaxBatch;

        public ForwardPass Forward(float[] inputs, int batch) => inner.Forward(inputs, batch);

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => inner.Gradients(inputs, batch, targets);

        public float[] HeadWeights(int targetClass) => inner.HeadWeights(targetClass);

        public float[] HeadLogits(float[] activations, int batch) => inner.HeadLogits(activations, batch);
    }
}
