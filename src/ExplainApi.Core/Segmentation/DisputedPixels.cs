namespace ExplainApi.Core.Segmentation;

/// <summary>
/// What SSDD's integration can gain over its inputs (Shimoda and Yanai, ICCV 2019, §3.3): on the pixels where knowledge K and
/// advice A disagree and exactly one is right ("decidable"), how often A is right, how often the detector alone
/// (σ(d_K) ≥ σ(d_A): K is the likelier wrong one, take A) and the integration with its biases pick the right one. Evaluation
/// only: it reads the true masks.
/// </summary>
public sealed class DisputedPixels
{
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
        }
        return metrics;
    }

    private static void Check(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice)
    {
        if (knowledge.Length != truth.Length || advice.Length != truth.Length)
        {
            throw new ArgumentException($"The truth has {truth.Length} pixels, K {knowledge.Length}, A {advice.Length}.");
        }
    }
}
