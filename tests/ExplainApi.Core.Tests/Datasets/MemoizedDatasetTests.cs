using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class MemoizedDatasetTests
{
    [Fact]
    public void A_sample_is_built_once_and_the_kept_one_is_the_inner_datasets_sample()
    {
        var inner = new CountingDataset(new SquaresDataset(count: 8, size: 16, seed: 3));
        var memoized = new MemoizedDataset(inner, MemoizedDataset.DefaultBudgetBytes);

        var first = memoized.Get(5);
        var again = memoized.Get(5);

        Assert.Same(first, again);
        Assert.Equal(1, inner.Builds);
        Assert.Equal(new SquaresDataset(count: 8, size: 16, seed: 3).Get(5).Pixels, first.Pixels);
        Assert.Equal(4L * (16 * 16 + 16 * 16), memoized.KeptBytes); // pixels and mask
    }

    [Fact]
    public void Beyond_the_budget_samples_are_built_each_time_and_nothing_more_is_kept()
    {
        var inner = new CountingDataset(new SquaresDataset(count: 8, size: 16, seed: 3));
        var memoized = new MemoizedDataset(inner, budgetBytes: 4L * 2 * 16 * 16); // room for one sample and its mask

        memoized.Get(0);
        memoized.Get(1);
        memoized.Get(1);
        memoized.Get(0);

        Assert.Equal(3, inner.Builds); // 0 once (kept), 1 twice (over budget)
        Assert.Equal(4L * 2 * 16 * 16, memoized.KeptBytes);
    }

    private sealed class CountingDataset(IDataset inner) : IDataset
    {
        private int _builds;

        public int Builds => _builds;

        public string Reference => inner.Reference;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Channels => inner.Channels;

        public int Height => inner.Height;

        public int Width => inner.Width;

        public int Count => inner.Count;

        public InputNormalization Normalization => inner.Normalization;

        public bool HasMasks => inner.HasMasks;

        public int LabelOf(int index) => inner.LabelOf(index);

        public Sample Get(int index)
        {
            Interlocked.Increment(ref _builds);
            return inner.Get(index);
        }
    }
}
