using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Storage;

/// <summary>The "ExplainApi:Storage" section: how much of the data volume uploads must leave free.</summary>
public sealed class StorageOptions
{
    public const string Section = "ExplainApi:Storage";

    /// <summary>
    /// Free space a dataset or model import must leave on the data volume. 1 GiB keeps room for what is written
    /// without a size known up front (SQLite and its WAL, logs, training checkpoints and the exported model).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 1L * 1024 * 1024 * 1024;
}
