namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>Score-CAM's cost mode: one masked forward per channel (exact) or only for the top-ranked channels (fast).</summary>
public enum ScoreCamMode
{
    Exact,
    Fast,
}

/// <summary>How fast Score-CAM ranks the channels of A on this image before it keeps the top k.</summary>
public enum ChannelRanking
{
    /// <summary>Σ a², the activation energy of the channel.</summary>
    Energy,

    /// <summary>max a.</summary>
    Max,

    /// <summary>Var(a) over the h×w positions (the default: as good as or better than energy and max in docs/benchmarks.md).</summary>
    Variance,
}

/// <summary>What a varying channel that fast Score-CAM did not run gets as its weight.</summary>
public enum SkippedChannelWeight
{
    /// <summary>0: the channel is dropped from Σ w_k A_k.</summary>
    Zero,

    /// <summary>
    /// The mean of the computed weights: Score-CAM's w_k are class probabilities and often similar across channels,
    /// so the skipped channels keep their share of the map instead of vanishing.
    /// </summary>
    Mean,

    /// <summary>
    /// The mean of the lower-ranked half of the computed weights (the last ⌈k/2⌉ run): on a trained model a channel's rank
    /// predicts its weight, so the skipped channels, ranked lower still, are nearer the last ones run than the average.
    /// </summary>
    TailMean,
}

/// <summary>
/// Channel selection for fast Score-CAM, in the spirit of the Score-CAM follow-ups that run fewer masked forwards
/// (Group-CAM, Zhang et al. 2021; "Faster Score-CAM", Desai 2021 keeps the highest-variance channels): rank the channels
/// on the image's own activations, run the masked forward only for the top k, and fill the rest.
/// </summary>
public static class ScoreCamChannels
{
    /// <summary>
    /// The channels kept by default in fast mode: K/16 rounded up, at least <see cref="MinimumDefault"/> (the curves in
    /// docs/benchmarks.md: Pearson ≥ 0.99 with exact from k = 16 on the trained squares classifier, K = 64, and from
    /// k = 32 = K/16 on the ResNet-18, K = 512, which then meets its 1.1 s target).
    /// </summary>
    public static int Default(int channels) => Math.Min(channels, Math.Max(MinimumDefault, (channels + 15) / 16));

    public const int MinimumDefault = 16;

    /// <summary>The ranking and fill the service uses (chosen by the curve in docs/benchmarks.md).</summary>
    public const ChannelRanking DefaultRanking = ChannelRanking.Variance;

    public const SkippedChannelWeight DefaultFill = SkippedChannelWeight.TailMean;

    /// <summary>The largest k a request may ask for (ResNet-50's and most ImageNet backbones' K = 2048, and room above).</summary>
    public const int Maximum = 8192;

    /// <summary>
    /// <paramref name="candidates"/> (channels of the K×<paramref name="positions"/> activations) best first by
    /// <paramref name="ranking"/>; ties keep channel order.
    /// </summary>
    public static int[] Ranked(float[] activations, int positions, IEnumerable<int> candidates, ChannelRanking ranking)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Select(k => (Channel: k, Score: Score(activations.AsSpan(k * positions, positions), ranking)))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Channel).Select(s => s.Channel)];
    }

    /// <summary>
    /// The weights of all <paramref name="channels"/>: <paramref name="computed"/> for the channels <paramref name="run"/>
    /// (best first), the fill for the <paramref name="skipped"/> ones, 0 elsewhere (constant channels).
    /// </summary>
    public static double[] Fill(int channels, IReadOnlyList<int> run, IReadOnlyList<double> computed, IReadOnlyList<int> skipped, SkippedChannelWeight fill)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(computed);
        ArgumentNullException.ThrowIfNull(skipped);
        var weights = new double[channels];
        for (var i = 0; i < run.Count; i++)
        {
            weights[run[i]] = computed[i];
        }

        var value = computed.Count == 0 ? 0 : fill switch
        {
            SkippedChannelWeight.Mean => computed.Average(),
            SkippedChannelWeight.TailMean => computed.Skip(computed.Count / 2).Average(),
            _ => 0,
        };
        foreach (var k in skipped)
        {
            weights[k] = value;
        }

        return weights;
    }

    private static double Score(ReadOnlySpan<float> plane, ChannelRanking ranking)
    {
        double sum = 0, squares = 0, max = double.MinValue;
        foreach (var v in plane)
        {
            sum += v;
            squares += (double)v * v;
            max = Math.Max(max, v);
        }

        return ranking switch
        {
            ChannelRanking.Energy => squares,
            ChannelRanking.Max => max,
            ChannelRanking.Variance => (squares / plane.Length) - Math.Pow(sum / plane.Length, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(ranking), ranking, null),
        };
    }
}
