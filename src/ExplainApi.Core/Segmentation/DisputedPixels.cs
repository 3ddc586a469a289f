namespace ExplainApi.Core.Segmentation;

/// <summary>
/// What SSDD's integration can gain over its inputs (Shimoda and Yanai, ICCV 2019, §3.3): on the pixels where knowledge K and
/// advice A disagree and exactly one is right ("decidable"), how often A is right, how often the detector alone
/// (σ(d_K) ≥ σ(d_A): K is the likelier wrong one, take A) and the integration with its biases pick the right one; and whether
/// the detector's preference s = σ(d_K) − σ(d_A) ranks those pixels at all (AUROC for "A is right"), with the best a single
/// bias on s could do. Evaluation only: it reads the true masks.
/// </summary>
public sealed class DisputedPixels
{
    // s ∈ (−1, 1) in bins of 0.001: exact enough for an AUROC and a threshold, O(1) memory over any number of pixels.
    private const int Bins = 2000;
    private readonly long[] _adviceRightAt = new long[Bins], _knowledgeRightAt = new long[Bins];
    private long _pixels, _disputed, _decidable, _adviceRight, _detectorRight, _integrationRight;

    /// <summary>The best any per-pixel choice between K and A can do: the truth where one of them has it, else A.</summary>
    public static byte[] BestOf(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice)
    {
        Check(truth, knowledge, advice);
        var best = new byte[truth.Length];
        for (var p = 0; p < best.Length; p++)
        {
            best[p] = truth[p] == knowledge[p] ? knowledge[p] : advice[p];
        }
        return best;
    }

    /// <summary>Counts one image's pixels; <paramref name="refined"/> is the integration's mask.</summary>
    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice,
        ReadOnlySpan<float> knowledgeLogits, ReadOnlySpan<float> adviceLogits, ReadOnlySpan<byte> refined)
    {
        Check(truth, knowledge, advice);
        if (knowledgeLogits.Length != truth.Length || adviceLogits.Length != truth.Length || refined.Length != truth.Length)
        {
            throw new ArgumentException("d_K, d_A and the refined mask need one value per pixel.");
        }
        _pixels += truth.Length;
        for (var p = 0; p < truth.Length; p++)
        {
            if (knowledge[p] == advice[p])
            {
                continue;
            }
            _disputed++;
            var adviceRight = truth[p] == advice[p];
            if (!adviceRight && truth[p] != knowledge[p])
            {
                continue;
            }
            _decidable++;
            _adviceRight += adviceRight ? 1 : 0;
            _detectorRight += (knowledgeLogits[p] >= adviceLogits[p]) == adviceRight ? 1 : 0;
            _integrationRight += refined[p] == truth[p] ? 1 : 0;
            var bin = Math.Clamp((int)((SsddIntegration.Preference(knowledgeLogits[p], adviceLogits[p]) + 1) * (Bins / 2)), 0, Bins - 1);
            (adviceRight ? _adviceRightAt : _knowledgeRightAt)[bin]++;
        }
    }

    /// <summary>disputedShare of all pixels; over the decidable ones adviceRight, detectorRight, integrationRight (NaN-free: absent when none).</summary>
    public IReadOnlyDictionary<string, double> Metrics(string prefix)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_pixels > 0)
        {
            metrics[prefix + "disputedShare"] = (double)_disputed / _pixels;
        }
        if (_decidable > 0)
        {
            metrics[prefix + "decidable.adviceRight"] = (double)_adviceRight / _decidable;
            metrics[prefix + "decidable.detectorRight"] = (double)_detectorRight / _decidable;
            metrics[prefix + "decidable.integrationRight"] = (double)_integrationRight / _decidable;
            var (bestRight, bestThreshold) = BestThreshold();
            metrics[prefix + "decidable.bestBiasRight"] = bestRight;
            metrics[prefix + "decidable.bestBias"] = -bestThreshold;
            if (_adviceRight > 0 && _adviceRight < _decidable)
            {
                metrics[prefix + "decidable.preferenceAuroc"] = PreferenceAuroc();
            }
        }
        return metrics;
    }

    /// <summary>P(s of a pixel where A is right &gt; s of one where K is right), ties counting half (Mann–Whitney), by bins.</summary>
    private double PreferenceAuroc()
    {
        double below = 0, wins = 0;
        for (var b = 0; b < Bins; b++)
        {
            wins += _adviceRightAt[b] * (below + (0.5 * _knowledgeRightAt[b]));
            below += _knowledgeRightAt[b];
        }
        return wins / ((double)_adviceRight * (_decidable - _adviceRight));
    }

    /// <summary>The rule "take A where s ≥ t" at its best t (a bin edge; t = −1 takes A everywhere): its share right and t.</summary>
    private (double Right, double Threshold) BestThreshold()
    {
        // Taking A from bin b upward: right = K-right pixels below b + A-right pixels from b on.
        long knowledgeBelow = 0, adviceFrom = _adviceRight, best = -1;
        var bestBin = 0;
        for (var b = 0; b <= Bins; b++)
        {
            if (knowledgeBelow + adviceFrom > best)
            {
                (best, bestBin) = (knowledgeBelow + adviceFrom, b);
            }
            if (b < Bins)
            {
                knowledgeBelow += _knowledgeRightAt[b];
                adviceFrom -= _adviceRightAt[b];
            }
        }
        return ((double)best / _decidable, (bestBin / (Bins / 2.0)) - 1);
    }

    private static void Check(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice)
    {
        if (knowledge.Length != truth.Length || advice.Length != truth.Length)
        {
            throw new ArgumentException($"The truth has {truth.Length} pixels, K {knowledge.Length}, A {advice.Length}.");
        }
    }
}
