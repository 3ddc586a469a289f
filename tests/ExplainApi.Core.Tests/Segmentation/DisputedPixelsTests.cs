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
        Assert.Equal(1.0, metrics["ssdd.decidable.bestBiasRight"]); // taking A everywhere is right on both
        Assert.False(metrics.ContainsKey("ssdd.decidable.preferenceAuroc")); // one kind of pixel only: no ranking to score
    }

    [Fact]
    public void The_preference_auroc_and_the_best_bias_score_how_well_the_detector_ranks_the_decidable_pixels()
    {
        // Four decidable pixels, K = 1 and A = 0 at each; truth 0 (A right) at 0 and 2, 1 (K right) at 1 and 3.
        byte[] truth = [0, 1, 0, 1], seeds = [1, 1, 1, 1], crf = [0, 0, 0, 0];
        // s = σ(d_K) − σ(d_A): 0.76, −0.76, 0, 0.76 − a tie between an A-right and a K-right pixel, one pair the wrong way round.
        float[] dK = [2, -2, 0, 2], dA = [-2, 2, 0, -2];
        var tally = new DisputedPixels();

        tally.Add(truth, seeds, crf, dK, dA, crf);
        var metrics = tally.Metrics("");

        // Pairs (A-right, K-right): (0.76, −0.76) win, (0.76, 0.76) tie, (0, −0.76) win, (0, 0.76) loss → (2 + 0.5) / 4.
        Assert.Equal(0.625, metrics["decidable.preferenceAuroc"], 12);
        // The best single threshold (−0.76 < t ≤ 0) keeps pixel 1 with K and gives the rest to A: 3 of 4 right.
        Assert.Equal(0.75, metrics["decidable.bestBiasRight"], 12);
        Assert.Equal(0.5, metrics["decidable.adviceRight"]);
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
