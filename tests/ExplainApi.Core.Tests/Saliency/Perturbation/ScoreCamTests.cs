using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;
using static ExplainApi.Core.Tests.Saliency.SaliencyTestData;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

/// <summary>Score-CAM against its definition written as plain loops: 3 channels of 4×4 activations, an 8×8 image, 2 classes.</summary>
public class ScoreCamTests
{
    private const int Image = 8;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Score_cam_weights_channels_by_the_class_probability_of_the_masked_image(bool subtractBaseline)
    {
        var (inputs, model, image) = Example(seed: 4);
        var map = new ScoreCam(subtractBaseline).Compute(inputs, model.Context(), image);

        AssertClose(Reference(inputs, model, image, subtractBaseline), map.Raw);
        PerturbationAssert.WellFormed(map, "scorecam", 1, Image, Image);
    }

    [Fact]
    public void The_channel_that_shows_the_evidence_for_class_1_gets_the_larger_weight()
    {
        // Channel 0 fires on the top-left quadrant, channel 1 on the bottom-right one.
        var activations = new float[2 * H * W];
        for (var i = 0; i < H * W; i++)
        {
            var (y, x) = (i / W, i % W);
            activations[i] = y < H / 2 && x < W / 2 ? 1f : 0f;
            activations[(H * W) + i] = y >= H / 2 && x >= W / 2 ? 1f : 0f;
        }

        var model = new TinyLinearModel();
        var inputs = new SaliencyInputs(activations, 2, H, W, TinyLinearModel.Size, TinyLinearModel.Size, targetClass: 1);
        var map = new ScoreCam().Compute(inputs, model.Context(), model.Image());

        var (row, column) = PointingGame.ArgMax(map.Raw, TinyLinearModel.Size);
        Assert.True(model.InTopLeft((row * TinyLinearModel.Size) + column), $"arg-max at ({row}, {column})");
    }

    [Fact]
    public void A_constant_channel_is_skipped_without_a_forward_pass()
    {
        var (inputs, model, image) = Example(seed: 5, constantChannel: 2);
        var map = new ScoreCam(subtractBaseline: true).Compute(inputs, model.Context(maxBatch: 1), image);

        Assert.Equal(2 + 1, model.Calls);
        AssertClose(Reference(inputs, model, image, subtractBaseline: true), map.Raw);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(32, true)]
    public void Masked_copies_are_evaluated_in_ceil_items_over_max_batch_calls(int maxBatch, bool subtractBaseline)
    {
        var (inputs, model, image) = Example(seed: 6);
        new ScoreCam(subtractBaseline).Compute(inputs, model.Context(maxBatch), image);

        Assert.Equal(PerturbationAssert.Calls(K + (subtractBaseline ? 1 : 0), maxBatch), model.Calls);
    }

    [Fact]
    public void The_batch_size_does_not_change_the_map()
    {
        var (inputs, model, image) = Example(seed: 7);
        var one = new ScoreCam().Compute(inputs, model.Context(1), image);
        var many = new ScoreCam().Compute(inputs, model.Context(32), image);

        Assert.Equal(one.Raw, many.Raw);
    }

    [Fact]
    public void A_map_size_other_than_the_model_input_is_refused()
    {
        var (_, model, image) = Example(seed: 8);
        var inputs = Seeded(inputHeight: 16, inputWidth: 16);

        Assert.Throws<ArgumentException>(() => new ScoreCam().Compute(inputs, model.Context(), image));
    }

    private static (SaliencyInputs Inputs, TinyLinearModel Model, float[] Image) Example(int seed, int? constantChannel = null)
    {
        var random = new Random(seed);
        var activations = Enumerable.Range(0, K * H * W).Select(_ => 2 * random.NextSingle()).ToArray();
        if (constantChannel is { } k)
        {
            Array.Fill(activations, 0.7f, k * H * W, H * W);
        }

        var weights = new[] { Weights(random), Weights(random) };
        var image = Enumerable.Range(0, Image * Image).Select(_ => random.NextSingle()).ToArray();
        var inputs = new SaliencyInputs(activations, K, H, W, Image, Image, targetClass: 1);
        return (inputs, new TinyLinearModel(1, Image, Image, weights), image);
    }

    private static float[] Weights(Random random) => Enumerable.Range(0, Image * Image).Select(_ => random.NextSingle() - 0.5f).ToArray();

    private static double[] Reference(SaliencyInputs inputs, TinyLinearModel model, float[] image, bool subtractBaseline)
    {
        var baseline = subtractBaseline ? Probability1(model, new float[image.Length]) : 0;
        var low = new double[H * W];
        for (var k = 0; k < K; k++)
        {
            var up = Resize.Bilinear(inputs.Activations.AsSpan(k * H * W, H * W), H, W, Image, Image);
            var (min, max) = (up.Min(), up.Max());
            if (max == min)
            {
                continue;
            }

            var masked = new float[image.Length];
            for (var j = 0; j < image.Length; j++)
            {
                masked[j] = image[j] * ((up[j] - min) / (max - min));
            }

            var weight = Probability1(model, masked) - baseline;
            for (var i = 0; i < H * W; i++)
            {
                low[i] += weight * At(inputs.Activations, k, i);
            }
        }

        var rectified = Array.ConvertAll(Relu(low), v => (float)v);
        return Array.ConvertAll(Resize.Bilinear(rectified, H, W, Image, Image), v => (double)v);
    }

    // softmax(y)_1 for two classes, written out: e^{y1} / (e^{y0} + e^{y1}).
    private static double Probability1(TinyLinearModel model, float[] image)
    {
        var logits = model.Logits(image);
        return Math.Exp(logits[1]) / (Math.Exp(logits[0]) + Math.Exp(logits[1]));
    }
}
