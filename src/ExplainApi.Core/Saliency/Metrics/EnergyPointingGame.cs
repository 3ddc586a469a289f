namespace ExplainApi.Core.Saliency.Metrics;

/// <summary>
/// The energy-based pointing game (Wang et al., "Score-CAM", CVPRW 2020, §4.2): the share of the map's
/// mass inside the ground-truth region, Σ_{i∈mask} L_i / Σ_i L_i, for L normalised to [0, 1].
/// </summary>
public static class EnergyPointingGame
{
    /// <summary>The energy share in [0, 1]; 0 for an all-zero map, which points nowhere.</summary>
    public static double Score(ReadOnlySpan<float> normalizedMap, ReadOnlySpan<bool> mask)
    {
        if (normalizedMap.Length != mask.Length)
        {
            throw new ArgumentException($"The map has {normalizedMap.Length} values, the mask {mask.Length}.", nameof(mask));
        }

        double inside = 0, total = 0;
        for (var i = 0; i < normalizedMap.Length; i++)
        {
            var v = normalizedMap[i];
            if (!(v >= 0f && v <= 1f))
            {
                throw new ArgumentException($"Expected a map normalised to [0, 1]; value {v} at {i}.", nameof(normalizedMap));
            }

            total += v;
            inside += mask[i] ? v : 0;
        }

        return total > 0 ? inside / total : 0;
    }
}
