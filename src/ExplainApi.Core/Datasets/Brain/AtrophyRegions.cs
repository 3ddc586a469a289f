namespace ExplainApi.Core.Datasets.Brain;

/// <summary>The structures class 1 changes; a reference selects them as a bit mask (<c>regions=15</c>: all).</summary>
[Flags]
public enum AtrophyRegions
{
    None = 0,

    /// <summary>AAL Hippocampus_L/R.</summary>
    Hippocampus = 1,

    /// <summary>AAL ParaHippocampal_L/R.</summary>
    Parahippocampal = 2,

    /// <summary>AAL Temporal_* (superior, middle, inferior gyri and poles), left and right.</summary>
    TemporalLobe = 4,

    /// <summary>Derived from the T1's CSF (<see cref="VentricleMask"/>); they enlarge instead of shrinking.</summary>
    Ventricles = 8,

    All = Hippocampus | Parahippocampal | TemporalLobe | Ventricles,
}

/// <summary>How strongly each structure changes at a given severity s (a fraction).</summary>
internal static class AtrophyWeights
{
    /// <summary>
    /// Linear scale a structure's core gets about its own centre: 1 − w·s for the shrinking ones, 1 + w·s for
    /// the ventricles. The temporal lobe, a large structure, changes at half the rate of the mesial ones.
    /// </summary>
    public static double Scale(AtrophyRegions region, double severity) => region switch
    {
        AtrophyRegions.Ventricles => 1 + severity,
        AtrophyRegions.TemporalLobe => 1 - (0.5 * severity),
        _ => 1 - severity,
    };

    /// <summary>The AAL structure a label name belongs to, or None.</summary>
    public static AtrophyRegions FromAalName(string name) =>
        name.StartsWith("Hippocampus_", StringComparison.Ordinal) ? AtrophyRegions.Hippocampus
        : name.StartsWith("ParaHippocampal_", StringComparison.Ordinal) ? AtrophyRegions.Parahippocampal
        : name.StartsWith("Temporal_", StringComparison.Ordinal) ? AtrophyRegions.TemporalLobe
        : AtrophyRegions.None;
}
