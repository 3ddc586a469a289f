using ExplainApi.Core.Datasets.Brain;

namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>lesions (<see cref="LesionsDataset"/>) as a <c>synthetic:</c> generator.</summary>
public sealed class LesionsGenerator(string templateDirectory = BrainTemplate.DefaultDirectory) : ISyntheticGenerator
{
    public string Name => LesionsDataset.GeneratorName;

    public string Description =>
        "Weakly supervised segmentation: Colin27 brain slices or smooth noise with 0–max lesions per class (blob, thin, tiny); "
        + "multi-hot image labels, pixel segmentation for evaluation; mask = all lesions.";

    public IReadOnlyList<SyntheticParameter> Parameters { get; } =
    [
        new("n", "Number of images.", LesionsOptions.DefaultCount, SquaresDataset.MinCount, SquaresDataset.MaxCount),
        new("size", "Image side in pixels; lesion sizes scale with it (reference: 112).", LesionsOptions.DefaultSize, LesionsOptions.MinSize, LesionsOptions.MaxSize),
        new("seed", "Random seed; the same seed and index always give the same image.", LesionsOptions.DefaultSeed, 0, int.MaxValue),
        SyntheticParameter.Choice("background", "What the lesions lie on; mixed alternates brain (even indices) and noise (odd).",
            LesionsOptions.BackgroundNames, (int)LesionBackground.Mixed),
        new("max", "The most lesions of one class in an image (0: no lesions at all).", LesionsOptions.DefaultMaxPerClass, 0, LesionsOptions.MaxPerClassLimit),
    ];

    public IDataset Create(IReadOnlyDictionary<string, long> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new LesionsOptions
        {
            Count = (int)arguments["n"],
            Size = (int)arguments["size"],
            Seed = (int)arguments["seed"],
            Background = (LesionBackground)arguments["background"],
            MaxPerClass = (int)arguments["max"],
        };
        return new LesionsDataset(options, options.NeedsBrain ? BrainTemplate.Shared(templateDirectory, LesionsDataset.GeneratorName) : null);
    }
}
