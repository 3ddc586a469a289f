using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

/// <summary>SSDD's integration rule (Shimoda and Yanai, ICCV 2019, eq. 4–6) on hand-made masks and detector logits.</summary>
public sealed class SsddIntegrationTests
{
    // Four pixels: K says class 1 everywhere, A says background on the last two.
    private static readonly byte[] K = [1, 1, 1, 1], A = [1, 1, 0, 0];
    private static readonly bool[] NoneErased = new bool[256];

    [Fact]
    public void Equal_detector_confidence_follows_the_sign_of_the_difference_bias()
    {
        float[] zero = [0, 0, 0, 0];

        Assert.Equal(A, SsddIntegration.Integrate(K, A, zero, zero, NoneErased, new SsddBiases(0.1, 0)));
        Assert.Equal(K, SsddIntegration.Integrate(K, A, zero, zero, NoneErased, new SsddBiases(-0.1, 0)));
    }

    [Fact]
    public void The_mask_the_detector_distrusts_more_loses_the_pixel()
    {
        // Pixel 2: d_K high (K likely wrong) → A's background; pixel 3: d_A high (A likely wrong) → K's class 1.
        float[] dK = [0, 0, 4, -4], dA = [0, 0, -4, 4];

        var refined = SsddIntegration.Integrate(K, A, dK, dA, NoneErased, new SsddBiases(0, 0));

        Assert.Equal(new byte[] { 1, 1, 0, 1 }, refined);
    }

    [Fact]
    public void A_class_the_crf_erased_keeps_its_seed_pixels_with_the_paper_sign_and_loses_them_with_the_flipped_one()
    {
        byte[] knowledge = [.. Enumerable.Repeat((byte)2, 10), 0, 0], advice = [2, .. Enumerable.Repeat((byte)0, 11)];
        var erased = SsddIntegration.ErasedClasses(knowledge, advice, [2], 0.5);
        var (dK, dA) = (Enumerable.Repeat(3f, 12).ToArray(), Enumerable.Repeat(-3f, 12).ToArray()); // the detector prefers A by ~0.9

        var paper = SsddIntegration.Integrate(knowledge, advice, dK, dA, erased, new SsddBiases(0, 0));
        var flipped = SsddIntegration.Integrate(knowledge, advice, dK, dA, erased, new SsddBiases(0, 0, Sign: SsddSign.Flipped));

        Assert.True(erased[2]);
        Assert.Equal(knowledge, paper);
        Assert.Equal(advice, flipped);
    }

    [Fact]
    public void Only_an_image_level_class_shrunk_below_the_ratio_is_flagged()
    {
        byte[] knowledge = [1, 1, 1, 1, 2, 2, 0, 0], advice = [1, 1, 0, 0, 0, 0, 0, 0];

        var erased = SsddIntegration.ErasedClasses(knowledge, advice, [1, 2], 0.5);

        Assert.False(erased[1]); // 2 of 4 kept: not under half
        Assert.True(erased[2]);
        Assert.False(erased[0]);
        Assert.False(SsddIntegration.ErasedClasses(knowledge, advice, [1], 0.5)[2]); // class 2 is not an image label
        Assert.True(SsddIntegration.LostALabel(erased, [1, 2]));
        Assert.False(SsddIntegration.LostALabel(erased, [1])); // only the image's own classes count
    }

    [Fact]
    public void The_background_bias_pulls_toward_whichever_mask_says_background()
    {
        float[] dK = [0, 0, -0.2f, -0.2f], dA = [0, 0, 0.2f, 0.2f]; // σ difference ≈ −0.1: K without bias

        Assert.Equal(K, SsddIntegration.Integrate(K, A, dK, dA, NoneErased, new SsddBiases(0, 0)));
        Assert.Equal(A, SsddIntegration.Integrate(K, A, dK, dA, NoneErased, new SsddBiases(0, 0.1)));
        Assert.Equal(K, SsddIntegration.Integrate(K, A, dK, dA, NoneErased, new SsddBiases(0, 0.1, Sign: SsddSign.Flipped)));
    }

    [Fact]
    public void Every_refined_pixel_is_the_knowledge_or_the_advice()
    {
        var random = new Random(7);
        var knowledge = Enumerable.Range(0, 500).Select(_ => (byte)random.Next(4)).ToArray();
        var advice = Enumerable.Range(0, 500).Select(_ => (byte)random.Next(4)).ToArray();
        var dK = Enumerable.Range(0, 500).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        var dA = Enumerable.Range(0, 500).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();

        var refined = SsddIntegration.Integrate(knowledge, advice, dK, dA, SsddIntegration.ErasedClasses(knowledge, advice, [1, 2, 3], 0.5), SsddBiases.Static);

        Assert.All(Enumerable.Range(0, 500), p => Assert.True(refined[p] == knowledge[p] || refined[p] == advice[p]));
        Assert.Contains(Enumerable.Range(0, 500), p => knowledge[p] != advice[p] && refined[p] == knowledge[p]);
        Assert.Contains(Enumerable.Range(0, 500), p => knowledge[p] != advice[p] && refined[p] == advice[p]);
    }

    [Fact]
    public void Inputs_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SsddIntegration.Integrate(K, A, new float[3], new float[4], NoneErased, SsddBiases.Static));
        Assert.Throws<ArgumentException>(() => SsddIntegration.ErasedClasses(K, [1, 1], [1], 0.5));
    }
}
