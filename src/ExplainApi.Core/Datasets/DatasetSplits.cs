namespace ExplainApi.Core.Datasets;

/// <summary>Indices of a dataset split three ways; each array ascending.</summary>
public sealed record DatasetSplit(int[] Train, int[] Validation, int[] Test);

/// <summary>
/// Stratified splits: each class is shuffled on its own (Fisher–Yates with <see cref="SampleRandom"/>(seed,
/// class)) and cut by the fractions, so every part keeps the class balance and the same (dataset, seed)
/// always gives the same split.
/// </summary>
public static class DatasetSplits
{
    public const double StandardTestFraction = 0.2;
    public const double StandardValidationFraction = 0.2;

    /// <summary>
    /// METHODS.md §5: 80/20 twice. 20 % of each class is the test set, 20 % of the rest validation; for
    /// the 10 000 squares that is train 6 400 / validation 1 600 / test 2 000.
    /// </summary>
    public static DatasetSplit Standard(IDataset dataset, int seed) =>
        Stratified(dataset, StandardTestFraction, StandardValidationFraction, seed);

    /// <summary>The parts jobs name: the three parts of <see cref="Standard"/>, or every image.</summary>
    public static IReadOnlyList<string> Names { get; } = ["test", "validation", "train", "all"];

    /// <summary>The indices of the part <paramref name="name"/> (one of <see cref="Names"/>) of the standard split.</summary>
    public static int[] Named(IDataset dataset, string name, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (name == "all")
        {
            return [.. Enumerable.Range(0, dataset.Count)];
        }

        var split = Standard(dataset, seed);
        return name switch
        {
            "test" => split.Test,
            "validation" => split.Validation,
            "train" => split.Train,
            _ => throw new ArgumentException($"Split '{name}' is not one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <param name="testFraction">Share of each class held out for testing.</param>
    /// <param name="validationFraction">Share of each class's remainder (after the test cut) for validation.</param>
    public static DatasetSplit Stratified(IDataset dataset, double testFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(testFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(testFraction, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(validationFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationFraction, 1);
        // Grouped by LabelOf in ascending order, each group shuffled by its own stream: a multi-label dataset's
        // stratification key (IMultiLabelDataset) may exceed the class count.
        List<int> train = [], validation = [], test = [];
        foreach (var group in Enumerable.Range(0, dataset.Count).GroupBy(dataset.LabelOf).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            Shuffle(indices, new SampleRandom(seed, group.Key));
            var testCount = Round(indices.Length * testFraction);
            var validationCount = Round((indices.Length - testCount) * validationFraction);
            test.AddRange(indices.AsSpan(0, testCount));
            validation.AddRange(indices.AsSpan(testCount, validationCount));
            train.AddRange(indices.AsSpan(testCount + validationCount));
        }

        return new DatasetSplit(Sorted(train), Sorted(validation), Sorted(test));
    }

    private static int Round(double count) => (int)Math.Round(count, MidpointRounding.AwayFromZero);

    private static void Shuffle(int[] values, SampleRandom random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(0, i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static int[] Sorted(List<int> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
