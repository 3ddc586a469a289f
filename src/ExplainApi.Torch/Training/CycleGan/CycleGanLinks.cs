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

    /// <summary>Why the options cannot train on <paramref name="dataset"/> with <paramref name="models"/>, or null.</summary>
    public static string? Problem(CycleGanOptions options, IDataset dataset, IModelRegistry models)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(models);
        if (ClassProblem(options, dataset) is { } problem)
        {
            return problem;
        }
        if (options.Classifier is not { } name)
        {
            return null;
        }
        var manifest = models.Find(name, options.ClassifierVersion == 0 ? null : options.ClassifierVersion);
        var (a, b) = Resolve(options, dataset);
        return manifest switch
        {
            null => $"The classifier '{name}'{(options.ClassifierVersion == 0 ? "" : $" version {options.ClassifierVersion}")} is not registered.",
            { Task: not ModelTask.Classification } => $"The model '{name}' version {manifest.Version} is a {ModelTasks.Name(manifest.Task)} model, not a classifier.",
            { Input: var input } when (input.Channels, input.Height, input.Width) != (dataset.Channels, dataset.Height, dataset.Width) =>
                $"The classifier '{name}' version {manifest.Version} takes {input.Channels}×{input.Height}×{input.Width} images; the dataset's are {dataset.Channels}×{dataset.Height}×{dataset.Width}.",
            _ when !manifest.ClassNames.Contains(dataset.ClassNames[a]) || !manifest.ClassNames.Contains(dataset.ClassNames[b]) =>
                $"The classifier '{name}' version {manifest.Version} has the classes {string.Join(", ", manifest.ClassNames)}; it lacks '{dataset.ClassNames[a]}' or '{dataset.ClassNames[b]}'.",
            _ => null,
        };
    }

    /// <summary>The linked classifier with its version resolved (the latest when the option is 0), or null when none is linked.</summary>
    /// <exception cref="InvalidOperationException">The classifier is not registered.</exception>
    public static LinkedModel? Classifier(CycleGanOptions options, IModelRegistry? models)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Classifier is not { } name)
        {
            return null;
        }
        if (options.ClassifierVersion > 0)
        {
            return new LinkedModel(name, options.ClassifierVersion);
        }
        var version = models is null
            ? throw new InvalidOperationException($"The latest version of the classifier '{name}' cannot be resolved: the run has no model registry.")
            : models.Find(name)?.Version ?? throw new InvalidOperationException($"The classifier '{name}' is not registered.");
        return new LinkedModel(name, version);
    }

    private static string? ClassProblem(CycleGanOptions options, IDataset dataset)
    {
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
