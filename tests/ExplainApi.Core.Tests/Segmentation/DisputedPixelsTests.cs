using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class DisputedPixelsTests
{
    // Pixels:        0  1  2  3  4  5
    private static readonly byte[] Truth = [0, 1, 1, 0, 2, 0];
    private static readonly byte[] Seeds = [0, 1, 0, 1, 1, 1]; // K
    private static readonly byte[] Crf = [0, 1, 1, 0, 0, 2];   // A

    [Fact]
    public void The_best_of_seed_and_crf_takes_the_truth_where_either_has_it_else_the_crf()
    {
        Assert.Equal([0, 1, 1, 0, 0, 2], DisputedPixels.BestOf(Truth, Seeds, Crf));
    }

    [Fact]
    public void Decidable_pixels_are_those_where_exactly_one_mask_is_right_and_each_chooser_is_scored_on_them()
    {
        // Disputed: 2 and 3 (A right), 4 and 5 (both wrong: undecidable).
        // The detector takes A where d_K ≥ d_A: right at 2, wrong at 3. The integration took K at 2 and A at 3.
        float[] dK = [0, 0, 2, -1, 0, 0];
        float[] dA = [0, 0, 1, 1, 0, 0];
        byte[] refined = [0, 1, 0, 0, 1, 1];
        var tally = new DisputedPixels();

        tally.Add(Truth, Seeds, Crf, dK, dA, refined);
        var metrics = tally.Metrics("ssdd.");

        Assert.Equal(4 / 6.0, metrics["ssdd.disputedShare"], 12);
        Assert.Equal(1.0, metrics["ssdd.decidable.adviceRight"]);
        Assert.Equal(0.5, metrics["ssdd.decidable.detectorRight"]);
        Assert.Equal(0.5, metrics["ssdd.decidable.integrationRight"]);
    }

    [Fact]
    public void Without_decidable_pixels_only_the_disputed_share_is_reported()
    {
        var tally = new DisputedPixels();

        tally.Add(Truth, Truth, Truth, new float[6], new float[6], Truth);

        Assert.Equal(new Dictionary<string, double> { ["x.disputedShare"] = 0 }, tally.Metrics("x."));
        Assert.Throws<ArgumentException>(() => tally.Add(Truth, Seeds, Crf.AsSpan(1), new float[6], new float[6], Truth));
    }
}
