using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Training;

/// <summary>
/// What every classification trainer (and the GANs, which pick images by class) needs of a dataset: one label per
/// image, two classes with samples, two samples each. A trainer that also takes multi-label datasets needs each class
/// present in two images and absent from two (so both its train and validation parts can hold either).
/// </summary>
internal static class ClassificationDatasets
{
    /// <param name="kind">The trainer's kind, named in the answer.</param>
    /// <param name="allowMultiLabel">True for a trainer with a multi-label objective (the classifier); the others refuse such datasets.</param>
    public static string? Check(IDataset dataset, string kind, bool allowMultiLabel = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset is IMultiLabelDataset multiLabel && allowMultiLabel)
        {
            return CheckMultiLabel(multiLabel);
        }

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

    private static string? CheckMultiLabel(IMultiLabelDataset dataset)
    {
        var classes = dataset.ClassNames.Count;
        if (classes < 2)
        {
            return $"The dataset has {classes} class(es); a classifier needs at least 2.";
        }

        var positives = new int[classes];
        for (var i = 0; i < dataset.Count; i++)
        {
            var labels = dataset.LabelsOf(i);
            if (labels.Length != classes)
            {
                return $"Sample {i} has {labels.Length} labels, but the dataset has {classes} classes.";
            }

            for (var k = 0; k < classes; k++)
            {
                positives[k] += labels[k] >= 0.5f ? 1 : 0;
            }
        }

        var rare = Enumerable.Range(0, classes).FirstOrDefault(k => Math.Min(positives[k], dataset.Count - positives[k]) < 2, -1);
        return rare < 0 ? null
            : $"Class '{dataset.ClassNames[rare]}' is present in {positives[rare]} of {dataset.Count} images; every class needs at least 2 images with it and 2 without.";
    }
}

/// <summary>Trainer outputs go through <see cref="ExplainApi.Core.Files.AtomicFile"/>, so a crash never leaves half a file.</summary>
internal static class OutputFiles
{
    public static void WriteAtomically(string path, Action<string> write) => ExplainApi.Core.Files.AtomicFile.Write(path, write);
}
