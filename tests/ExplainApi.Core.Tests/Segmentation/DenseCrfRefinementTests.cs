using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public class DenseCrfRefinementTests
{
    // Seeded 64×64 shapes (4 labels, each its own intensity, noise σ = 15 grey levels); the truth shifted by (3, −2) and
    // 20 % flipped is the unary (confidence 0.7). Measured mIoU before → after: 0.49 → 0.96, 0.45 → 0.74 (grey),
    // 0.42 → 0.99, 0.45 → 0.73 (colour): at least +0.28, so the bar is +0.2.
    [Theory]
    [InlineData(1, 11)]
    [InlineData(1, 12)]
    [InlineData(3, 13)]
    [InlineData(3, 14)]
    public void The_crf_improves_the_miou_of_corrupted_labels(int channels, int seed)
    {
        const int side = 64, labels = 4;
        var (image, truth) = CrfTestData.Shapes(seed, side, side, channels, labels, noise: 15, shapes: 5);
        var corrupted = CrfTestData.Corrupt(truth, labels, seed, side, side);

        var refined = new DenseCrf(image, labels, DenseCrfParameters.Default).Infer(CrfUnary.FromLabels(corrupted, labels, 0.7f)).LabelMap;

        var before = CrfTestData.MeanIou(truth, corrupted, labels);
        Assert.InRange(CrfTestData.MeanIou(truth, refined, labels), before + 0.2, 1);
    }
}
