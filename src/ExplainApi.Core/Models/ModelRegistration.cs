namespace ExplainApi.Core.Models;

/// <summary>A registration's outcome: the version, and whether it is new or an existing one with the same content.</summary>
public sealed record ModelRegistration(ModelManifest Manifest, bool Created);

/// <summary>When two versions are the same model: same files (by SHA-256), task, graphs, task section, input and origin.</summary>
public static class ModelContent
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> would serve identically; name, version, time and metrics aside.</summary>
    public static bool Same(ModelManifest a, ModelManifest b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Task == b.Task && a.TrainingJob == b.TrainingJob && a.Dataset == b.Dataset
            && SameInput(a.Input, b.Input)
            && a.Graphs.SequenceEqual(b.Graphs)
            && a.ClassNames.SequenceEqual(b.ClassNames, StringComparer.Ordinal)
            && a.TargetLayers.SequenceEqual(b.TargetLayers, StringComparer.Ordinal)
            && a.OutputActivation == b.OutputActivation
            && SameDifferenceMap(a.DifferenceMap, b.DifferenceMap)
            && (a.Segmentation?.Graph, a.Segmentation?.Masks, a.Segmentation?.Classifier, a.Segmentation?.Ssdd, a.Segmentation?.PseudoMasks) == (b.Segmentation?.Graph, b.Segmentation?.Masks, b.Segmentation?.Classifier, b.Segmentation?.Ssdd, b.Segmentation?.PseudoMasks)
            && (a.Segmentation?.ServedStages ?? []).SequenceEqual(b.Segmentation?.ServedStages ?? [], StringComparer.Ordinal)
            && a.Files.Count == b.Files.Count
            && a.Files.All(f => b.Files.TryGetValue(f.Key, out var hash) && string.Equals(hash, f.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameDifferenceMap(DifferenceMapSection? a, DifferenceMapSection? b) =>
        a is null || b is null ? a is null && b is null
            : a.Method == b.Method && a.Classifier == b.Classifier && a.Directions.SequenceEqual(b.Directions);

    private static bool SameInput(ModelInputSpec a, ModelInputSpec b) =>
        (a.Channels, a.Height, a.Width, a.AllowResize, a.InputName) == (b.Channels, b.Height, b.Width, b.AllowResize, b.InputName)
        && a.Normalization.Kind == b.Normalization.Kind
        && a.Normalization.Mean.SequenceEqual(b.Normalization.Mean)
        && a.Normalization.Std.SequenceEqual(b.Normalization.Std);
}
