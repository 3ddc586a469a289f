namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// The parameters of <see cref="BrainAtrophyDataset"/>, as integers the way a reference gives them:
/// severity and noise in per cent, the axial range in MNI millimetres (z of the Colin27 template).
/// </summary>
public sealed record BrainAtrophyOptions
{
    public const int DefaultCount = 10_000, DefaultSize = 128, DefaultSeed = 1, DefaultSeverity = 20;
    public const int DefaultZMin = -18, DefaultZMax = 14, DefaultNoise = 3;
    public const int MinSize = 32, MaxSize = 512, MaxSeverity = 30, MinZ = -45, MaxZ = 45, MaxNoise = 20;

    public int Count { get; init; } = DefaultCount;
    public int Size { get; init; } = DefaultSize;
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Per cent by which each chosen structure's core shrinks linearly (the ventricles grow), 0–30 (<see cref="AtrophyWeights"/>).</summary>
    public int Severity { get; init; } = DefaultSeverity;

    /// <summary>Lowest axial level in MNI mm; the default range −18…14 holds the hippocampi and the ventricles.</summary>
    public int ZMin { get; init; } = DefaultZMin;

    public int ZMax { get; init; } = DefaultZMax;

    /// <summary>Rician noise σ in per cent of the brain's 99th-percentile intensity.</summary>
    public int Noise { get; init; } = DefaultNoise;

    public AtrophyRegions Regions { get; init; } = AtrophyRegions.All;

    public string Reference =>
        $"synthetic:{BrainAtrophyDataset.GeneratorName}?n={Count}&size={Size}&seed={Seed}&severity={Severity}"
        + $"&zmin={ZMin}&zmax={ZMax}&noise={Noise}&regions={(int)Regions}";

    /// <exception cref="ArgumentOutOfRangeException">A value outside its range, an odd count or zmin &gt; zmax.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, SquaresDataset.MinCount, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, SquaresDataset.MaxCount, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfLessThan(Size, MinSize, nameof(Size));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Size, MaxSize, nameof(Size));
        ArgumentOutOfRangeException.ThrowIfNegative(Seed, nameof(Seed));
        ArgumentOutOfRangeException.ThrowIfNegative(Severity, nameof(Severity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Severity, MaxSeverity, nameof(Severity));
        ArgumentOutOfRangeException.ThrowIfLessThan(ZMin, MinZ, nameof(ZMin));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ZMax, MaxZ, nameof(ZMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ZMin, ZMax, nameof(ZMin));
        ArgumentOutOfRangeException.ThrowIfNegative(Noise, nameof(Noise));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Noise, MaxNoise, nameof(Noise));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)Regions, (int)AtrophyRegions.All, nameof(Regions));
        ArgumentOutOfRangeException.ThrowIfNegative((int)Regions, nameof(Regions));
        if (Count % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "The count must be even: the classes are balanced 50/50.");
        }
    }
}
