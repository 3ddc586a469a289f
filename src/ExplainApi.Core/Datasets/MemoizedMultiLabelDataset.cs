namespace ExplainApi.Core.Datasets;

/// <summary><see cref="MemoizedDataset"/> over a multi-label dataset: samples are kept, labels pass through.</summary>
public sealed class MemoizedMultiLabelDataset(IMultiLabelDataset inner, long budgetBytes) : IMultiLabelDataset
{
    private readonly MemoizedDataset _memoized = new(inner, budgetBytes);

    public string Reference => inner.Reference;
    public IReadOnlyList<string> ClassNames => inner.ClassNames;
    public int Channels => inner.Channels;
    public int Height => inner.Height;
    public int Width => inner.Width;
    public int Count => inner.Count;
    public InputNormalization Normalization => inner.Normalization;
    public bool HasMasks => inner.HasMasks;
    public bool HasSegmentation => inner.HasSegmentation;

    /// <summary>Bytes of samples kept so far.</summary>
    public long KeptBytes => _memoized.KeptBytes;

    public int LabelOf(int index) => inner.LabelOf(index);

    public float[] LabelsOf(int index) => inner.LabelsOf(index);

    public Sample Get(int index) => _memoized.Get(index);
}
