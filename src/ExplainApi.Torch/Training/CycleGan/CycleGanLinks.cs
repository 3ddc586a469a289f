using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>What a CycleGAN job's options name outside themselves: the class pair in the dataset and the linked classifier.</summary>
public static class CycleGanLinks
{
    /// <summary>The dataset's labels of class A and class B (class 0 and 1 when not named).</summary>
    /// <exception cref="ArgumentException">A class is missing or both are the same.</exception>
    public static (int A, int B) Classes(CycleGanOptions options, IDataset dataset) =>
        ClassProblem(options, dataset) is { } problem ? throw new ArgumentException(problem, nameof(options)) : Resolve(options, dataset);

    /// <summary>Why the linked classifier cannot judge the class pair's images, or null (a bad pair is <see cref="ClassProblem"/>'s).</summary>
    public static string? Problem(CycleGanOptions options, IDataset dataset, IModelRegistry models)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(models);
        if (ClassProblem(options, dataset) is not null || options.Classifier is not { } name)
        {
            return null;
        }
        var (a, b) = Resolve(options, dataset);
        var input = new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false);
        return LinkedModels.ClassifierProblem(models, name, options.ClassifierVersion, input, [dataset.ClassNames[a], dataset.ClassNames[b]]) is { } link
            ? $"The linked {link}"
            : null;
    }

    /// <summary>The linked classifier with its version resolved (the latest when none is given), or null when none is linked.</summary>
    /// <exception cref="InvalidOperationException">The classifier is not registered.</exception>
    public static LinkedModel? Classifier(CycleGanOptions options, IModelRegistry? models)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Classifier is not { } name ? null : LinkedModels.ResolveClassifier(models, name, options.ClassifierVersion);
    }

    /// <summary>Why the class pair is not two different classes of <paramref name="dataset"/>, or null.</summary>
    public static string? ClassProblem(CycleGanOptions options, IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.ClassNames.Count < 2)
        {
            return $"CycleGAN translates between two classes; the dataset has {dataset.ClassNames.Count}.";
        }
        foreach (var name in new[] { options.ClassA, options.ClassB }.OfType<string>())
        {
            if (!dataset.ClassNames.Contains(name))
            {
                return $"The dataset has no class '{name}'; its classes: {string.Join(", ", dataset.ClassNames)}.";
            }
        }
        var (a, b) = Resolve(options, dataset);
        return a == b ? $"classA and classB are both '{dataset.ClassNames[a]}'; name two different classes." : null;
    }

    private static (int A, int B) Resolve(CycleGanOptions options, IDataset dataset) =>
        (options.ClassA is { } a ? dataset.ClassNames.ToList().IndexOf(a) : 0, options.ClassB is { } b ? dataset.ClassNames.ToList().IndexOf(b) : 1);
}
