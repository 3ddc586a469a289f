using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Training;

/// <summary>
/// A seeded train/validation split that keeps each class's share: per class, round(fraction·n) samples
/// (at least 1, at most n − 1) go to validation. It depends only on the dataset's labels and the seed, so a
/// resumed run recomputes the same split.
/// </summary>
public sealed record StratifiedSplit(int[] Train, int[] Validation)
{
    public static StratifiedSplit Create(IDataset dataset, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var rng = new SplitMix64(unchecked((ulong)seed) ^ 0x5EED_5B117UL);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var members in Enumerable.Range(0, dataset.Count).GroupBy(dataset.LabelOf).OrderBy(g => g.Key))
        {
            var indices = members.ToList();
            rng.Shuffle(indices);
            var take = indices.Count < 2 ? 0 : Math.Clamp((int)Math.Round(validationFraction * indices.Count), 1, indices.Count - 1);
            validation.AddRange(indices.Take(take));
            train.AddRange(indices.Skip(take));
        }
        train.Sort();
        validation.Sort();
        return new StratifiedSplit([.. train], [.. validation]);
    }

    /// <summary>
    /// Train/validation indices and the held-out test indices: with <paramref name="testFraction"/> 0 nothing is held out and
    /// validation is <paramref name="validationFraction"/> of the dataset (<see cref="Create(IDataset, double, int)"/>); above 0, that
    /// share of each stratum is the test set and validation a share of the rest (<see cref="DatasetSplits.Stratified"/>).
    /// </summary>
    public static (StratifiedSplit TrainValidation, int[] Test) Create(IDataset dataset, double testFraction, double validationFraction, int seed)
    {
        if (testFraction == 0)
        {
            return (Create(dataset, validationFraction, seed), []);
        }
        var split = DatasetSplits.Stratified(dataset, testFraction, validationFraction, seed);
        return (new StratifiedSplit(split.Train, split.Validation), split.Test);
    }

    /// <summary>
    /// Train/validation from what the standard split (<see cref="DatasetSplits.StandardTestFraction"/>) leaves after its
    /// test part: with seed 1 the test images are exactly those the evaluate and difference-summary jobs score by default,
    /// so a GAN is never scored on images it trained on.
    /// </summary>
    public static StratifiedSplit ExcludingTest(IDataset dataset, double validationFraction, int seed)
    {
        var split = DatasetSplits.Stratified(dataset, DatasetSplits.StandardTestFraction, validationFraction, seed);
        return new StratifiedSplit(split.Train, split.Validation);
    }
}
