namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>What lesions are painted on: a Colin27 brain slice, smooth noise, or both alternating by index (even: brain).</summary>
public enum LesionBackground
{
    Brain,
    Noise,
    Mixed,
}

/// <summary>The parameters of <see cref="LesionsDataset"/>, as a reference gives them.</summary>
public sealed record LesionsOptions
{
    public const int DefaultCount = 4000, DefaultSize = 112, DefaultSeed = 1, DefaultMaxPerClass = 3;
    public const int MinSize = 48, MaxSize = 512, MaxPerClassLimit = 3;

    /// <summary>Reference names of <see cref="LesionBackground"/>, in its order.</summary>
    public static IReadOnlyList<string> BackgroundNames { get; } = ["brain", "noise", "mixed"];

    public int Count { get; init; } = DefaultCount;
    public int Size { get; init; } = DefaultSize;
    public int Seed { get; init; } = DefaultSeed;
    public LesionBackground Background { get; init; } = LesionBackground.Mixed;

    /// <summary>The most lesions of one class in an image, 0–3.</summary>
    public int MaxPerClass { get; init; } = DefaultMaxPerClass;

    public bool NeedsBrain => Background != LesionBackground.Noise;

    public string Reference =>
        $"synthetic:{LesionsDataset.GeneratorName}?n={Count}&size={Size}&seed={Seed}&background={BackgroundNames[(int)Background]}&max={MaxPerClass}";

    /// <summary>Whether sample <paramref name="index"/> shows a brain (mixed: even indices, so every prefix is balanced).</summary>
    public bool IsBrain(int index) => Background == LesionBackground.Brain || (Background == LesionBackground.Mixed && index % 2 == 0);

    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, SquaresDataset.MinCount, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, SquaresDataset.MaxCount, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfLessThan(Size, MinSize, nameof(Size));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Size, MaxSize, nameof(Size));
        ArgumentOutOfRangeException.ThrowIfNegative(Seed, nameof(Seed));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPerClass, nameof(MaxPerClass));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPerClass, MaxPerClassLimit, nameof(MaxPerClass));
        if (!Enum.IsDefined(Background))
        {
            throw new ArgumentOutOfRangeException(nameof(Background), Background, "Not a lesion background.");
        }
    }
}
