namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// The label table beside an atlas in mricron-data (<c>aal.nii.txt</c>): one "index name code" per line,
/// e.g. "37 Hippocampus_L 4101" (Tzourio-Mazoyer et al., NeuroImage 2002).
/// </summary>
internal static class AalLabels
{
    public static Dictionary<int, string> Parse(IEnumerable<string> lines)
    {
        var names = new Dictionary<int, string>();
        foreach (var line in lines)
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                names[index] = parts[1];
            }
        }

        return names;
    }

    /// <summary>For each label index (0..max), the structure it belongs to.</summary>
    public static AtrophyRegions[] RegionsByLabel(Dictionary<int, string> names)
    {
        var regions = new AtrophyRegions[names.Keys.DefaultIfEmpty(0).Max() + 1];
        foreach (var (index, name) in names)
        {
            regions[index] = AtrophyWeights.FromAalName(name);
        }

        return regions;
    }
}
