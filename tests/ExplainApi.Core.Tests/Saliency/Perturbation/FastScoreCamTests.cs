using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

/// <summary>Fast Score-CAM (top-k channels by a ranking, the rest at a fill weight) against exact Score-CAM on a small seeded conv net.</summary>
public class FastScoreCamTests
{
    [Fact]
    public void Keeping_every_channel_gives_the_exact_map_with_the_same_forwards()
    {
        var net = new SeededConvNet(seed: 1);
        var (inputs, image) = net.Inputs(seed: 2);
        var exact = new ScoreCam().Compute(inputs, net.Context(), image);
        var callsExact = net.Calls;
        var fast = new ScoreCam(keep: SeededConvNet.K).Compute(inputs, net.Context(), image);

        Assert.Equal(exact.Raw, fast.Raw);
        Assert.Equal(callsExact, net.Calls - callsExact);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void Fast_mode_runs_k_masked_forwards(int keep)
    {
        var net = new SeededConvNet(seed: 3);
        var (inputs, image) = net.Inputs(seed: 4);
        new ScoreCam(keep: keep).Compute(inputs, net.Context(maxBatch: 1), image);

        Assert.Equal(keep, net.Calls);
    }

    [Theory]
    [InlineData(11, 12)]
    [InlineData(21, 22)]
    public void Eight_of_thirty_two_channels_by_energy_with_the_mean_fill_correlate_with_exact(int modelSeed, int imageSeed)
    {
        var net = new SeededConvNet(modelSeed);
        var (inputs, image) = net.Inputs(imageSeed);
        var exact = new ScoreCam().Compute(inputs, net.Context(), image);
        var fast = new ScoreCam(keep: 8, ranking: ChannelRanking.Energy, skipped: SkippedChannelWeight.Mean).Compute(inputs, net.Context(), image);
        var dropped = new ScoreCam(keep: 8, ranking: ChannelRanking.Energy, skipped: SkippedChannelWeight.Zero).Compute(inputs, net.Context(), image);
        var served = new ScoreCam(keep: 8).Compute(inputs, net.Context(), image); // variance, tail mean

        var pearson = NormalizedCrossCorrelation.Compute(fast.Raw, exact.Raw, NccSign.SignedValues);
        var pearsonDropped = NormalizedCrossCorrelation.Compute(dropped.Raw, exact.Raw, NccSign.SignedValues);
        Assert.True(pearson >= 0.98, $"Pearson {pearson:0.0000}");
        Assert.True(NormalizedCrossCorrelation.Compute(served.Raw, exact.Raw, NccSign.SignedValues) >= 0.98, "the default variant");
        Assert.True(pearson > pearsonDropped, $"mean fill {pearson:0.0000}, zero fill {pearsonDropped:0.0000}");
    }

    [Fact]
    public void Channels_rank_by_energy_max_or_variance_and_only_candidates_are_ranked()
    {
        // 3 channels of 4 positions: energy 4 / 8 / 3.25, max 1 / 2 / 1.5; channel 0 is constant, left out by the caller for variance.
        float[] activations = [1, 1, 1, 1, 2, 0, 2, 0, 1.5f, 1, 0, 0];

        Assert.Equal([1, 0, 2], ScoreCamChannels.Ranked(activations, 4, [0, 1, 2], ChannelRanking.Energy));
        Assert.Equal([1, 2, 0], ScoreCamChannels.Ranked(activations, 4, [0, 1, 2], ChannelRanking.Max));
        Assert.Equal([1, 2], ScoreCamChannels.Ranked(activations, 4, [1, 2], ChannelRanking.Variance));
    }

    [Fact]
    public void Skipped_channels_get_the_mean_of_the_computed_weights_or_of_their_lower_half_or_zero_and_the_rest_stay_zero()
    {
        Assert.Equal([0.35, 0, 0.3, 0.4], ScoreCamChannels.Fill(4, [2, 3], [0.3, 0.4], [0], SkippedChannelWeight.Mean).Select(w => Math.Round(w, 10)));
        Assert.Equal([0, 0, 0.3, 0.4], ScoreCamChannels.Fill(4, [2, 3], [0.3, 0.4], [0], SkippedChannelWeight.Zero));
        // The tail mean: the lower-ranked half of the channels run (best first), here 0.3 and 0.1.
        Assert.Equal([0.2, 0.1, 0.5, 0.3], ScoreCamChannels.Fill(4, [2, 3, 1], [0.5, 0.3, 0.1], [0], SkippedChannelWeight.TailMean).Select(w => Math.Round(w, 10)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 16)]
    [InlineData(264, 17)]
    [InlineData(512, 32)]
    [InlineData(2048, 128)]
    [InlineData(4, 4)]
    public void The_default_keeps_a_sixteenth_of_the_channels_and_at_least_sixteen_or_all(int channels, int expected) =>
        Assert.Equal(expected, ScoreCamChannels.Default(channels));

    [Fact]
    public void Keeping_no_channel_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreCam(keep: 0));

    /// <summary>
    /// x (1×16×16) → 3×3 conv, K = 32 seeded filters, stride 2, + bias, ReLU = A (32×8×8) → GAP → seeded linear → 2 logits.
    /// The image is smooth seeded noise with a bright square, so channels differ in energy.
    /// </summary>
    private sealed class SeededConvNet
    {
        public const int K = 32, Size = 16, Side = 8, Classes = 2;
        private readonly float[] filters, bias, head;

        public SeededConvNet(int seed)
        {
            var random = new Random(seed);
            filters = [.. Enumerable.Range(0, K * 9).Select(_ => (random.NextSingle() - 0.5f) * 1.2f)];
            bias = [.. Enumerable.Range(0, K).Select(_ => (random.NextSingle() - 0.5f) * 0.2f)];
            head = [.. Enumerable.Range(0, Classes * K).Select(_ => (random.NextSingle() - 0.5f) * 4f)];
        }

        public int Calls { get; private set; }

        public ForwardContext Context(int maxBatch = 8) => new(1, Size, Size, Classes, Forward, maxBatch);

        public (SaliencyInputs Inputs, float[] Image) Inputs(int seed)
        {
            var random = new Random(seed);
            var image = new float[Size * Size];
            var (top, left) = (random.Next(0, 10), random.Next(0, 10));
            for (var i = 0; i < image.Length; i++)
            {
                var (y, x) = (i / Size, i % Size);
                image[i] = (y >= top && y < top + 6 && x >= left && x < left + 6 ? 1f : 0f) + (0.3f * random.NextSingle());
            }

            var activations = Activations(image);
            var logits = Head(activations);
            var target = logits[1] > logits[0] ? 1 : 0;
            return (new SaliencyInputs(activations, K, Side, Side, Size, Size, target), image);
        }

        private float[] Forward(float[] inputs, int batch)
        {
            Calls++;
            var logits = new float[batch * Classes];
            for (var b = 0; b < batch; b++)
            {
                Head(Activations(inputs.AsSpan(b * Size * Size, Size * Size))).CopyTo(logits, b * Classes);
            }

            return logits;
        }

        private float[] Activations(ReadOnlySpan<float> image)
        {
            var a = new float[K * Side * Side];
            for (var k = 0; k < K; k++)
            {
                for (var p = 0; p < Side * Side; p++)
                {
                    var (oy, ox) = (p / Side * 2, p % Side * 2);
                    var sum = bias[k];
                    for (var t = 0; t < 9; t++)
                    {
                        var (y, x) = (oy + (t / 3) - 1, ox + (t % 3) - 1);
                        if (y >= 0 && y < Size && x >= 0 && x < Size)
                        {
                            sum += filters[(k * 9) + t] * image[(y * Size) + x];
                        }
                    }

                    a[(k * Side * Side) + p] = Math.Max(0, sum);
                }
            }

            return a;
        }

        private float[] Head(float[] activations)
        {
            var logits = new float[Classes];
            for (var c = 0; c < Classes; c++)
            {
                for (var k = 0; k < K; k++)
                {
                    logits[c] += head[(c * K) + k] * activations.AsSpan(k * Side * Side, Side * Side).ToArray().Average();
                }
            }

            return logits;
        }
    }
}
