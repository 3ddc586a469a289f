using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Storage;

/// <summary>The "ExplainApi:Storage" section: how much of the data volume uploads must leave free, and the upload spool's sweep.</summary>
public sealed class StorageOptions
{
    public const string Section = "ExplainApi:Storage";

    /// <summary>
    /// Free space a dataset or model import must leave on the data volume. 1 GiB keeps room for what is written
    /// without a size known up front (SQLite and its WAL, logs, training checkpoints and the exported model).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>A spool entry not written for this long is a leftover (far longer than any upload or import takes).</summary>
    [Range(1, 7 * 24 * 60)]
    public int SpoolMaxAgeMinutes { get; set; } = 60;

    [Range(1, 24 * 60)]
    public int SpoolSweepIntervalMinutes { get; set; } = 5;
}
