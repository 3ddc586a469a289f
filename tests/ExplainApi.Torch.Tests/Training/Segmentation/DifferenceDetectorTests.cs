using ExplainApi.Torch.Training.Segmentation;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>The class-balanced BCE of SSDD's difference detector, against the hand-computed value, and its output shape.</summary>
public sealed class DifferenceDetectorTests
{
    [Fact]
    public void The_balanced_loss_averages_the_mean_over_agreeing_and_the_mean_over_differing_pixels()
    {
        using var scope = NewDisposeScope();
        // Image 0: one differing pixel of four; image 1: none differ (only the agreeing term); image 2 is left out.
        var logits = tensor(new float[] { 2, 0, 0, -1, 1, 1, 1, 1, 5, 5, 5, 5 }).reshape(3, 2, 2);
        var differ = tensor(new[] { true, false, false, false, false, false, false, false, true, true, true, true }).reshape(3, 2, 2);
        var include = tensor(new float[] { 1, 1, 0 });

        var loss = DifferenceDetector.BalancedLoss(logits, differ, include).item<float>();

        static double Bce(double x, double t) => -((t * Math.Log(1 / (1 + Math.Exp(-x)))) + ((1 - t) * Math.Log(1 - (1 / (1 + Math.Exp(-x))))));
        var image0 = (Bce(2, 1) + ((Bce(0, 0) + Bce(0, 0) + Bce(-1, 0)) / 3)) / 2;
        var image1 = Bce(1, 0);
        Assert.Equal((image0 + image1) / 2, loss, 5);
    }

    [Fact]
    public void It_gives_one_logit_per_pixel_for_each_mask_from_shared_features()
    {
        using var scope = NewDisposeScope();
        using var detector = new DifferenceDetector(width: 4, classes: 3);
        var (early, head) = (randn(2, 4, 8, 8), randn(2, 4, 8, 8));
        var mask = randint(0, 3, [2, 8, 8], dtype: ScalarType.Int64);

        var features = detector.Features(early, head);
        var logits = detector.Detect(features, mask);
        var other = detector.Detect(features, zeros_like(mask));

        Assert.Equal(new long[] { 2, 8, 8 }, logits.shape);
        Assert.False(logits.allclose(other)); // the mask reaches the logits
    }
}
