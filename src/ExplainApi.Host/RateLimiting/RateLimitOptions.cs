using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.RateLimiting;

/// <summary>The "ExplainApi:RateLimit" section: requests per API key per window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "ExplainApi:RateLimit";

    [Range(1, int.MaxValue)]
    public int PermitsPerWindow { get; set; } = 600;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
