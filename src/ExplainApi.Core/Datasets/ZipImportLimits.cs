namespace ExplainApi.Core.Datasets;

/// <summary>
/// What one uploaded archive may be. Everything except <see cref="MaxStoredBytes"/> is checked from the
/// zip's central directory before any entry is opened, and again while inflating (declared sizes can lie).
/// </summary>
public sealed record ZipImportLimits
{
    /// <summary>The upload itself (compressed).</summary>
    public long MaxArchiveBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The sum of every entry's uncompressed size, and of the bytes actually inflated.</summary>
    public long MaxUncompressedBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    public int MaxEntries { get; init; } = 50_000;

    /// <summary>One entry, uncompressed. At most <see cref="Array.MaxLength"/>: an entry is inflated into one array.</summary>
    public long MaxEntryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Uncompressed : compressed for an entry, and for the whole archive (zip bombs compress 1000:1 and more).</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries (and archives) smaller than this are not held to the ratio: a small uniform file compresses well legitimately.</summary>
    public long RatioCheckMinBytes { get; init; } = 1024 * 1024;

    /// <summary>The preprocessed float32 dataset written to disk.</summary>
    public long MaxStoredBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    public static ZipImportLimits Default { get; } = new();
}
