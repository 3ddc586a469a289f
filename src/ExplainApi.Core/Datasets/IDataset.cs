namespace ExplainApi.Core.Datasets;

/// <summary>
/// One labelled example as a model sees it: planar CHW float32 already normalised the way the
/// dataset's <see cref="InputNormalization"/> says, an integer class label and, when the dataset has
/// ground truth, an H×W mask: 1 inside the region that distinguishes the class, 0 outside; for
/// brain-atrophy the signed intensity change the class caused (<see cref="Brain.BrainAtrophyDataset"/>).
/// A multi-label dataset (<see cref="IMultiLabelDataset"/>) also gives <paramref name="Labels"/>, the multi-hot
/// vector over its classes, and <paramref name="Segmentation"/>, H×W class indices (0 = background, k = class k − 1),
/// kept for evaluation; <see cref="Label"/> is then its stratification key and the mask the union of all objects.
/// </summary>
public sealed record Sample(float[] Pixels, int Label, float[]? Mask, float[]? Labels = null, byte[]? Segmentation = null);

/// <summary>
/// A fixed, indexable set of samples of one shape. Implementations are deterministic (the same index
/// gives the same sample, across processes) so that a training job resumed after a crash sees exactly
/// the data it saw before. <see cref="Get"/> must be thread-safe.
/// </summary>
public interface IDataset
{
    /// <summary>The reference this dataset was resolved from, e.g. <c>synthetic:squares?n=2000&amp;seed=1</c> or <c>ds_…</c>.</summary>
    string Reference { get; }

    IReadOnlyList<string> ClassNames { get; }

    int Channels { get; }

    int Height { get; }

    int Width { get; }

    int Count { get; }

    /// <summary>How pixel values were normalised; recorded in model manifests so serving repeats it.</summary>
    InputNormalization Normalization { get; }

    /// <summary>True when <see cref="Sample.Mask"/> is present for every sample.</summary>
    bool HasMasks { get; }

    /// <summary>The label of sample <paramref name="index"/> without building it (for stratified splits).</summary>
    int LabelOf(int index);

    Sample Get(int index);
}

/// <summary>
/// How raw image values become model input: first the image's intensity window maps it to [0, 1]
/// (<see cref="Imaging.IntensityWindow"/>), then (v − Mean[c]) / Std[c] per channel. The squares set
/// is min–max scaled per image to [−1, 1], which is <see cref="MinMaxSymmetric"/>.
/// </summary>
public sealed record InputNormalization(string Kind, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    public const string WindowThenStandardize = "window-standardize";
    public const string PerImageMinMaxSymmetric = "per-image-minmax-symmetric";

    public static InputNormalization MinMaxSymmetric { get; } = new(PerImageMinMaxSymmetric, [0f], [1f]);

    public static InputNormalization Window(int channels) =>
        new(WindowThenStandardize, [.. Enumerable.Repeat(0.5f, channels)], [.. Enumerable.Repeat(0.5f, channels)]);
}

/// <summary>A dataset reference that does not name an existing dataset (404) or is malformed (400).</summary>
public sealed class DatasetReferenceException : Exception
{
    public DatasetReferenceException(string message, bool notFound = false) : base(message) => NotFound = notFound;

    public DatasetReferenceException()
    {
    }

    public DatasetReferenceException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public bool NotFound { get; }
}

/// <summary>Turns a reference (<c>synthetic:NAME?k=v</c> or an uploaded dataset id) into a dataset.</summary>
public interface IDatasetResolver
{
    /// <exception cref="DatasetReferenceException">The reference is malformed or names nothing.</exception>
    IDataset Resolve(string reference);
}
