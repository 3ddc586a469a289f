using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Tests.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Segmentation;

/// <summary>
/// On <see cref="TwoBlobModel"/>'s image, class 0's CAM lies on the top-left blob (rows/cols 2–6) and class 1's on the
/// bottom-right one (9–13); the noise around them activates nothing.
/// </summary>
public sealed class SeedGeneratorTests
{
    private const int Size = TwoBlobModel.Size;

    private static byte At(CamSeed seed, int y, int x) => seed.Seed[(y * Size) + x];

    [Theory]
    [InlineData("cam")]
    [InlineData("gradcam")]
    public void Each_labelled_class_marks_its_own_blob_and_the_rest_is_background(string method)
    {
        var seed = SeedGenerator.Generate(new TwoBlobModel(), TwoBlobModel.Image(), [0, 1], new SeedOptions { Method = method });

        Assert.Equal(1, At(seed, 4, 4));
        Assert.Equal(2, At(seed, 11, 11));
        Assert.Equal(0, At(seed, 0, 15));
        Assert.Equal(0, At(seed, 15, 0));
        Assert.Equal([0, 1], seed.Classes);
        Assert.False(seed.LabelsPredicted);
        Assert.All(seed.Cams, cam => Assert.Equal(1f, cam.Max()));
        Assert.Equal(Size * Size, seed.Cams[0].Length);
    }

    [Fact]
    public void Cam_and_grad_cam_give_the_same_seed_on_a_gap_linear_head()
    {
        // Grad-CAM = CAM/(hw) there (Selvaraju 2017, §3), and the seed divides each map by its maximum.
        var model = new TwoBlobModel();
        var cam = SeedGenerator.Generate(model, TwoBlobModel.Image(), [0, 1]);
        var gradcam = SeedGenerator.Generate(model, TwoBlobModel.Image(), [0, 1], new SeedOptions { Method = "gradcam" });

        Assert.Equal(cam.Seed, gradcam.Seed);
    }

    [Fact]
    public void A_class_left_out_of_the_labels_leaves_its_blob_background()
    {
        var seed = SeedGenerator.Generate(new TwoBlobModel(), TwoBlobModel.Image(), [0]);

        Assert.Equal(1, At(seed, 4, 4));
        Assert.Equal(0, At(seed, 11, 11));
        Assert.DoesNotContain((byte)2, seed.Seed);
    }

    [Fact]
    public void Without_labels_a_softmax_model_seeds_its_top_class()
    {
        var model = new TwoBlobModel();
        var image = TwoBlobModel.Image();

        var seed = SeedGenerator.Generate(model, image);

        Assert.True(seed.LabelsPredicted);
        Assert.Equal([Logits.ArgMax(model.Forward(image, 1).Logits)], seed.Classes);
        Assert.Equal(1.0, seed.Probabilities.Sum(), 6);
    }

    [Fact]
    public void Without_labels_a_sigmoid_model_seeds_the_classes_over_the_threshold()
    {
        var model = new SigmoidModel(new TwoBlobModel());

        var all = SeedGenerator.Generate(model, TwoBlobModel.Image(), options: new SeedOptions { Threshold = 0 });
        var none = SeedGenerator.Generate(model, TwoBlobModel.Image(), options: new SeedOptions { Threshold = 1 });

        Assert.Equal([0, 1], all.Classes);
        Assert.Equal(2, At(all, 11, 11));
        Assert.Empty(none.Classes);
        Assert.All(none.Seed, v => Assert.Equal(0, v));
    }

    [Fact]
    public void A_batch_costs_one_forward_call_and_one_gradient_call_over_every_image_class_pair()
    {
        var model = new TwoBlobModel(maxBatch: 8);
        float[][] images = [TwoBlobModel.Image(1), TwoBlobModel.Image(2), TwoBlobModel.Image(3)];
        var options = new SeedOptions { Method = "gradcam" };

        var seeds = SeedGenerator.Generate(model, images, [[0, 1], [1], null], options);

        Assert.Equal([3], model.ForwardBatches);
        Assert.Equal([4], model.GradientBatches); // 2 + 1 + the predicted top class
        for (var n = 0; n < images.Length; n++)
        {
            var alone = SeedGenerator.Generate(new TwoBlobModel(), images[n], n == 2 ? null : seeds[n].Classes.ToArray(), options);
            Assert.Equal(alone.Seed, seeds[n].Seed);
            Assert.Equal(alone.Classes, seeds[n].Classes);
        }
    }

    [Fact]
    public void An_unknown_or_unsupported_method_and_bad_settings_are_refused_before_any_pass()
    {
        var model = new TwoBlobModel(hasGradients: false);
        var image = TwoBlobModel.Image();

        Assert.Throws<ArgumentException>(() => SeedGenerator.Generate(model, image, [0], new SeedOptions { Method = "nope" }));
        var ex = Assert.Throws<NotSupportedException>(() => SeedGenerator.Generate(model, image, [0], new SeedOptions { Method = "gradcam" }));
        Assert.Contains("gradients", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedGenerator.Generate(model, image, [0], new SeedOptions { Alpha = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedGenerator.Generate(model, image, [2]));
        Assert.Empty(model.ForwardBatches);
    }

    [Fact]
    public void A_cancelled_request_stops_before_the_model_is_called()
    {
        var model = new TwoBlobModel();
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SeedGenerator.Generate(model, TwoBlobModel.Image(), [0, 1], cancellation: source.Token));
        Assert.Empty(model.ForwardBatches);
    }

    /// <summary>The same network declared multi-label: its logits read through sigmoids.</summary>
    private sealed class SigmoidModel(TwoBlobModel inner) : IExplainableModel
    {
        public ModelShape Shape => inner.Shape;
        public string? TargetLayer => inner.TargetLayer;
        public ActivationShape? ActivationShape => inner.ActivationShape;
        public bool HasActivations => inner.HasActivations;
        public bool HasGradients => inner.HasGradients;
        public bool HasLinearHead => inner.HasLinearHead;
        public bool HasSeparableHead => inner.HasSeparableHead;
        public OutputActivation OutputActivation => OutputActivation.Sigmoid;
        public int MaxBatch => inner.MaxBatch;
        public ForwardPass Forward(float[] inputs, int batch) => inner.Forward(inputs, batch);
        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => inner.Gradients(inputs, batch, targets);
        public float[] HeadWeights(int targetClass) => inner.HeadWeights(targetClass);
        public float[] HeadLogits(float[] activations, int batch) => inner.HeadLogits(activations, batch);
    }
}
