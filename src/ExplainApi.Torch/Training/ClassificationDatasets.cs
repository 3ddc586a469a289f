using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Training;

/// <summary>
/// What every classification trainer (and the GANs, which pick images by class) needs of a dataset: one label per
/// image, two classes with samples, two samples each.
/// </summary>
internal static class ClassificationDatasets
{
    /// <param name="kind">The trainer's kind, named in the answer.</param>
    public static string? Check(IDataset dataset, string kind)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset is IMultiLabelDataset)
        {
            // LabelOf of a multi-label set is a stratification key, not a class (IMultiLabelDataset).
            return $"{kind} needs a single-label dataset; {dataset.Reference} is multi-label (an image may hold several of {string.Join(", ", dataset.ClassNames)}).";
        }

        var counts = new int[dataset.ClassNames.Count];
        for (var i = 0; i < dataset.Count; i++)
        {
            var label = dataset.LabelOf(i);
            if (label < 0 || label >= counts.Length)
            {
                return $"Sample {i} has label {label}, but the dataset has {counts.Length} classes.";
            }

            counts[label]++;
        }

        var present = counts.Count(c => c > 0);
        if (present < 2)
        {
            return $"The dataset has samples of {present} class(es); a classifier needs at least 2 classes with samples.";
        }

        var small = Enumerable.Range(0, counts.Length).FirstOrDefault(k => counts[k] == 1, -1);
        return small < 0 ? null
            : $"Class '{dataset.ClassNames[small]}' has 1 sample; every class needs at least 2 (one to train on, one to validate with).";
    }
}

/// <summary>Trainer outputs go through <see cref="ExplainApi.Core.Files.AtomicFile"/>, so a crash never leaves half a file.</summary>
internal static class OutputFiles
{
    public static void WriteAtomically(string path, Action<string> write) => ExplainApi.Core.Files.AtomicFile.Write(path, write);
}
