namespace ExplainApi.Core.Segmentation;

/// <summary>
/// A (C+1)×(C+1) confusion matrix of label maps accumulated over a split (METHODS.md §4, SSDD's metrics), background
/// included: Counts[t, p] = pixels whose truth is t and prediction p, with labels coded as
/// <see cref="Datasets.Sample.Segmentation"/> (0 = background, k = class k − 1). <see cref="Metrics"/> reads it.
/// Not thread-safe: one per split, or <see cref="Add(SegmentationConfusion)"/> per-thread matrices.
/// </summary>
public sealed class SegmentationConfusion
{
    private readonly long[,] counts;

    /// <param name="classes">C, the object classes; labels run 0..C.</param>
    public SegmentationConfusion(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, byte.MaxValue - 1);
        Labels = classes + 1;
        counts = new long[Labels, Labels];
    }

    /// <summary>C + 1, background included.</summary>
    public int Labels { get; }

    /// <summary>Images added.</summary>
    public int Images { get; private set; }

    /// <summary>Pixels whose truth is <paramref name="truth"/> and prediction <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => counts[truth, predicted];

    /// <summary>Adds one image's maps (same length, every value 0..C).</summary>
    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"The maps differ in size: {truth.Length} truth, {predicted.Length} predicted pixels.", nameof(predicted));
        }

        CheckLabels(truth, nameof(truth));
        CheckLabels(predicted, nameof(predicted));
        for (var i = 0; i < truth.Length; i++)
        {
            counts[truth[i], predicted[i]]++;
        }

        Images++;
    }

    /// <summary>Adds another matrix of the same size (e.g. one accumulated on another thread).</summary>
    public void Add(SegmentationConfusion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Labels != Labels)
        {
            throw new ArgumentException($"Expected {Labels} labels, got {other.Labels}.", nameof(other));
        }

        for (var t = 0; t < Labels; t++)
        {
            for (var p = 0; p < Labels; p++)
            {
                counts[t, p] += other.counts[t, p];
            }
        }

        Images += other.Images;
    }

    /// <summary>Adds counts tallied elsewhere (e.g. a bincount on the training device), row-major [truth, prediction].</summary>
    public void Add(ReadOnlySpan<long> rowMajor, int images)
    {
        if (rowMajor.Length != Labels * Labels)
        {
            throw new ArgumentException($"Expected {Labels}×{Labels} counts, got {rowMajor.Length}.", nameof(rowMajor));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(images);
        for (var i = 0; i < rowMajor.Length; i++)
        {
            counts[i / Labels, i % Labels] += rowMajor[i];
        }

        Images += images;
    }

    /// <summary>The metrics of the matrix so far.</summary>
    public SegmentationMetrics Metrics() => SegmentationMetrics.Of(this);

    private void CheckLabels(ReadOnlySpan<byte> map, string name)
    {
        var bad = map.IndexOfAnyExceptInRange((byte)0, (byte)(Labels - 1));
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(name, $"Pixel {bad} has label {map[bad]}, outside 0..{Labels - 1}.");
        }
    }
}
