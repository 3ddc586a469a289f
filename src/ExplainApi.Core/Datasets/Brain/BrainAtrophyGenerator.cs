namespace ExplainApi.Core.Datasets.Brain;

/// <summary>brain-atrophy (<see cref="BrainAtrophyDataset"/>) as a <c>synthetic:</c> generator.</summary>
public sealed class BrainAtrophyGenerator(string templateDirectory = BrainTemplate.DefaultDirectory) : ISyntheticGenerator
{
    public string Name => BrainAtrophyDataset.GeneratorName;

    public string Description =>
        "Axial slices of the Colin27 T1 brain (mricron-data) with per-subject pose, elastic, bias and Rician noise; "
        + "class 1 shrinks the hippocampi, parahippocampal gyri and temporal lobes and enlarges the ventricles; mask = the signed intensity change.";

    public IReadOnlyList<SyntheticParameter> Parameters { get; } =
    [
        new("n", "Number of images, even: half class 0 (even indices), half class 1.",
            BrainAtrophyOptions.DefaultCount, SquaresDataset.MinCount, SquaresDataset.MaxCount),
        new("size", "Image side in pixels.", BrainAtrophyOptions.DefaultSize, BrainAtrophyOptions.MinSize, BrainAtrophyOptions.MaxSize),
        new("seed", "Random seed; the same seed and index always give the same subject and image.", BrainAtrophyOptions.DefaultSeed, 0, int.MaxValue),
        new("severity", "Per cent linear shrinkage of the chosen structures (temporal lobe: half), and growth of the ventricles.",
            BrainAtrophyOptions.DefaultSeverity, 0, BrainAtrophyOptions.MaxSeverity),
        new("zmin", "Lowest axial level, MNI mm.", BrainAtrophyOptions.DefaultZMin, BrainAtrophyOptions.MinZ, BrainAtrophyOptions.MaxZ),
        new("zmax", "Highest axial level, MNI mm (at least zmin).", BrainAtrophyOptions.DefaultZMax, BrainAtrophyOptions.MinZ, BrainAtrophyOptions.MaxZ),
        new("noise", "Rician noise sigma, per cent of the brain's 99th-percentile intensity.", BrainAtrophyOptions.DefaultNoise, 0, BrainAtrophyOptions.MaxNoise),
        new("regions", "Bit mask of what changes: 1 hippocampus, 2 parahippocampal gyrus, 4 temporal lobe, 8 ventricles.",
            (long)AtrophyRegions.All, 0, (long)AtrophyRegions.All),
    ];

    public IDataset Create(IReadOnlyDictionary<string, long> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new BrainAtrophyOptions
        {
            Count = (int)arguments["n"],
            Size = (int)arguments["size"],
            Seed = (int)arguments["seed"],
            Severity = (int)arguments["severity"],
            ZMin = (int)arguments["zmin"],
            ZMax = (int)arguments["zmax"],
            Noise = (int)arguments["noise"],
            Regions = (AtrophyRegions)arguments["regions"],
        };
        if (options.Count % 2 != 0)
        {
            throw new DatasetReferenceException($"n={options.Count} must be even: the brain-atrophy classes are balanced 50/50.");
        }

        if (options.ZMin > options.ZMax)
        {
            throw new DatasetReferenceException($"synthetic:brain-atrophy: zmin={options.ZMin} is above zmax={options.ZMax}.");
        }

        return new BrainAtrophyDataset(options, BrainTemplate.Shared(templateDirectory));
    }
}
