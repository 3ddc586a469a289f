using System.ComponentModel.DataAnnotations;
using ExplainApi.Core.Datasets;

namespace ExplainApi.Host.Datasets;

/// <summary>The "ExplainApi:Datasets" section: what one uploaded archive may be (see <see cref="ZipImportLimits"/>), and all of them together.</summary>
public sealed class DatasetsOptions : IValidatableObject
{
    public const string Section = "ExplainApi:Datasets";
    private const double GiB = 1024d * 1024 * 1024;

    [Range(1024, 64 * GiB)]
    public long MaxArchiveBytes { get; set; } = ZipImportLimits.Default.MaxArchiveBytes;

    [Range(1024, 1024 * GiB)]
    public long MaxUncompressedBytes { get; set; } = ZipImportLimits.Default.MaxUncompressedBytes;

    [Range(1, 10_000_000)]
    public int MaxEntries { get; set; } = ZipImportLimits.Default.MaxEntries;

    /// <summary>One entry is inflated into one array, hence the 2 GiB ceiling.</summary>
    [Range(1024, 2_147_483_591)]
    public long MaxEntryBytes { get; set; } = ZipImportLimits.Default.MaxEntryBytes;

    [Range(2, 1_000_000)]
    public double MaxCompressionRatio { get; set; } = ZipImportLimits.Default.MaxCompressionRatio;

    [Range(1024, 16 * 1024 * GiB)]
    public long MaxStoredBytes { get; set; } = ZipImportLimits.Default.MaxStoredBytes;

    /// <summary>Every uploaded dataset together, as stored (float32): an import that would pass it is refused (413) before it is written.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxTotalStoredBytes { get; set; } = 20L * 1024 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxEntryBytes > MaxUncompressedBytes)
        {
            yield return new ValidationResult($"MaxEntryBytes ({MaxEntryBytes}) exceeds MaxUncompressedBytes ({MaxUncompressedBytes}).",
                [nameof(MaxEntryBytes), nameof(MaxUncompressedBytes)]);
        }

        if (MaxStoredBytes > MaxTotalStoredBytes)
        {
            yield return new ValidationResult($"MaxStoredBytes ({MaxStoredBytes}) exceeds MaxTotalStoredBytes ({MaxTotalStoredBytes}).",
                [nameof(MaxStoredBytes), nameof(MaxTotalStoredBytes)]);
        }
    }

    public ZipImportLimits ToLimits() => new()
    {
        MaxArchiveBytes = MaxArchiveBytes,
        MaxUncompressedBytes = MaxUncompressedBytes,
        MaxEntries = MaxEntries,
        MaxEntryBytes = MaxEntryBytes,
        MaxCompressionRatio = MaxCompressionRatio,
        MaxStoredBytes = MaxStoredBytes,
    };
}
