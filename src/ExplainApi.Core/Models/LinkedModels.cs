namespace ExplainApi.Core.Models;

/// <summary>
/// Checks a link to a registered classifier (the one a difference-map model explains, issue 9 §4): it exists, is a
/// classifier, takes the same C×H×W and knows the classes the linking model translates between.
/// </summary>
public static class LinkedModels
{
    /// <summary>Why <paramref name="name"/> (version, or the latest) cannot judge images of <paramref name="input"/> between <paramref name="classes"/>, or null.</summary>
    /// <param name="activation">What the linking model needs: a single-label (softmax) classifier whose decision flips, or a
    /// multi-label (sigmoid) one that explains every class present (weakly supervised segmentation).</param>
    public static string? ClassifierProblem(
        IModelRegistry models, string? name, int? version, ModelInputSpec input, IReadOnlyList<string> classes, OutputActivation activation = OutputActivation.Softmax)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(classes);
        if (string.IsNullOrEmpty(name))
        {
            return "no classifier is named; name the registered classifier whose decisions the maps explain.";
        }

        var linked = ModelName.IsValid(name) ? models.Find(name, version) : null;
        var which = version is { } v ? $"'{name}' version {v}" : $"'{name}'";
        if (linked is null)
        {
            return $"classifier {which} is not registered.";
        }

        if (linked.Task != ModelTask.Classification)
        {
            return $"model {which} is a {ModelTasks.Name(linked.Task)} model, not a classifier.";
        }

        if ((linked.Input.Channels, linked.Input.Height, linked.Input.Width) != (input.Channels, input.Height, input.Width))
        {
            return $"classifier {which} takes {linked.Input.Channels}×{linked.Input.Height}×{linked.Input.Width} images; these are {input.Channels}×{input.Height}×{input.Width}.";
        }

        if (linked.OutputActivation != activation)
        {
            // A translation is judged by whether the softmax decision flips from one class to the other; a pseudo-mask
            // needs a map of every class present in the image.
            return activation == OutputActivation.Softmax
                ? $"classifier {which} is multi-label (one sigmoid per class); a difference-map model needs a single-label (softmax) classifier."
                : $"classifier {which} is single-label (softmax); pseudo-masks need a multi-label (sigmoid) classifier of the dataset's classes.";
        }

        var missing = classes.Where(c => !linked.ClassNames.Contains(c, StringComparer.Ordinal)).ToList();
        return missing.Count > 0
            ? $"classifier {which} has classes {string.Join(", ", linked.ClassNames)}; it lacks {string.Join(", ", missing)}."
            : null;
    }

    /// <summary>The same for a link recorded in a manifest; null link is a problem too.</summary>
    public static string? ClassifierProblem(IModelRegistry models, LinkedModel? link, ModelInputSpec input, IReadOnlyList<string> classes) =>
        ClassifierProblem(models, link?.Name, link?.Version, input, classes);

    /// <summary>The link a training run records: the classifier's name and its version, the latest when none is given.</summary>
    /// <exception cref="InvalidOperationException">The classifier is not registered (or the run has no registry).</exception>
    public static LinkedModel ResolveClassifier(IModelRegistry? models, string name, int? version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var manifest = models?.Find(name, version)
            ?? throw new InvalidOperationException($"The linked classifier '{name}'{(version is { } v ? $" version {v}" : "")} is not a registered model (or the run has no model registry).");
        return new LinkedModel(manifest.Name, manifest.Version);
    }
}
