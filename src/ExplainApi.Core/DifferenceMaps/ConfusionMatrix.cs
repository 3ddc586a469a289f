namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// Counts of (expected class, predicted class) over images: row = the class an image should be, column = the
/// classifier's decision. For translations (the brain-age study's Table 1) the expected class of a translated image is
/// the direction's target class, so the diagonal counts successful translations.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[][] _counts;

    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ClassNames = classNames;
        _counts = [.. classNames.Select(_ => new int[classNames.Count])];
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Counts[expected][predicted].</summary>
    public IReadOnlyList<IReadOnlyList<int>> Counts => _counts;

    public int Total => _counts.Sum(row => row.Sum());

    public void Add(int expected, int predicted) => _counts[expected][predicted]++;

    /// <summary>The share of images predicted as expected (the diagonal); NaN when empty.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Enumerable.Range(0, _counts.Length).Sum(c => _counts[c][c]) / Total;
}
