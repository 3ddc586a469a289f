using ExplainApi.Core.Datasets;
using ExplainApi.Torch.Training;

namespace ExplainApi.Torch.Tests.Training;

public sealed class StratifiedSplitTests
{
    [Fact]
    public void Excluding_the_test_part_leaves_train_and_validation_disjoint_from_the_standard_test_split()
    {
        var squares = new SquaresDataset(count: 200, size: 16, seed: 4);

        var split = StratifiedSplit.ExcludingTest(squares, 0.2, seed: 1);
        var test = DatasetSplits.Named(squares, "test", 1);

        Assert.Empty(split.Train.Intersect(test));
        Assert.Empty(split.Validation.Intersect(test));
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(squares.Count, split.Train.Length + split.Validation.Length + test.Length);
        Assert.Equal(DatasetSplits.Named(squares, "validation", 1), split.Validation);
    }
}
