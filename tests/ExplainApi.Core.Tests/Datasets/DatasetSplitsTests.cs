using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class DatasetSplitsTests
{
    [Fact]
    public void The_standard_split_of_10000_squares_is_6400_1600_2000_stratified()
    {
        var dataset = new SquaresDataset();
        var split = DatasetSplits.Standard(dataset, seed: 1);
        Assert.Equal(6400, split.Train.Length);
        Assert.Equal(1600, split.Validation.Length);
        Assert.Equal(2000, split.Test.Length);
        Assert.Equal(3200, split.Train.Count(i => dataset.LabelOf(i) == 1));
        Assert.Equal(800, split.Validation.Count(i => dataset.LabelOf(i) == 1));
        Assert.Equal(1000, split.Test.Count(i => dataset.LabelOf(i) == 1));
        Assert.Equal(Enumerable.Range(0, 10_000), split.Train.Concat(split.Validation).Concat(split.Test).Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var dataset = new SquaresDataset(count: 200, size: 16);
        var (a, b) = (DatasetSplits.Standard(dataset, 5), DatasetSplits.Standard(dataset, 5));
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, DatasetSplits.Standard(dataset, 6).Test);
        Assert.True(a.Test.SequenceEqual(a.Test.Order()), "indices come back ascending");
    }

    [Fact]
    public void Small_datasets_round_per_class()
    {
        var split = DatasetSplits.Standard(new SquaresDataset(count: 20, size: 16), seed: 1);
        Assert.Equal((12, 4, 4), (split.Train.Length, split.Validation.Length, split.Test.Length));
    }
}
