using System.Collections.Concurrent;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Keeps each sample after it is first built, up to <paramref name="budgetBytes"/> of pixels and masks (beyond it,
/// samples are built each time). GAN trainers draw with replacement from the same few thousand training images for
/// thousands of steps, and building a synthetic 112² image costs about as much as a critic step spends on it.
/// Samples are immutable by contract, so sharing one instance between callers is safe. <see cref="For"/> keeps a
/// multi-label dataset multi-label.
/// </summary>
public sealed class MemoizedDataset(IDataset inner, long budgetBytes) : IDataset
{
    /// <summary>Default budget: the full squares training split (about 320 MB) with room to spare.</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    private readonly ConcurrentDictionary<int, Sample> _kept = new();
    private long _bytes;

    public string Reference => inner.Reference;

    public IReadOnlyList<string> ClassNames => inner.ClassNames;

    public int Channels => inner.Channels;

    public int Height => inner.Height;

    public int Width => inner.Width;

    public int Count => inner.Count;

    public InputNormalization Normalization => inner.Normalization;

    public bool HasMasks => inner.HasMasks;

    /// <summary>Bytes of pixels and masks kept so far.</summary>
    public long KeptBytes => Interlocked.Read(ref _bytes);

    public int LabelOf(int index) => inner.LabelOf(index);

    /// <summary>A memoized view of <paramref name="dataset"/> that is an <see cref="IMultiLabelDataset"/> when it is one.</summary>
    public static IDataset For(IDataset dataset, long budgetBytes) =>
        dataset is IMultiLabelDataset multi ? new MemoizedMultiLabelDataset(multi, budgetBytes) : new MemoizedDataset(dataset, budgetBytes);

    public Sample Get(int index)
    {
        if (_kept.TryGetValue(index, out var kept))
        {
            return kept;
        }
        var sample = inner.Get(index);
        var size = (4L * (sample.Pixels.Length + (sample.Mask?.Length ?? 0) + (sample.Labels?.Length ?? 0))) + (sample.Segmentation?.Length ?? 0);
        if (Interlocked.Add(ref _bytes, size) <= budgetBytes)
        {
            if (!_kept.TryAdd(index, sample))
            {
                Interlocked.Add(ref _bytes, -size); // another thread kept the same index first
            }
        }
        else
        {
            Interlocked.Add(ref _bytes, -size);
        }
        return sample;
    }
}
