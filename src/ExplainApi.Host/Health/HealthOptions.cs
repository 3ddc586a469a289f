using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Health;

/// <summary>The "ExplainApi:Health" section: thresholds of the readiness checks.</summary>
public sealed class HealthOptions
{
    public const string Section = "ExplainApi:Health";

    /// <summary>Readiness is Unhealthy when the data folder's file system has fewer free bytes (uploads, imports and jobs would fail).</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeDiskBytes { get; set; } = 1L << 30;
}
