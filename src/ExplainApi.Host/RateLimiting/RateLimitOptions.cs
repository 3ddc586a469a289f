using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.RateLimiting;

/// <summary>The "ExplainApi:RateLimit" section: requests per API key per window, and explanation work per key per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "ExplainApi:RateLimit";

    [Range(1, int.MaxValue)]
    public int PermitsPerWindow { get; set; } = 600;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Explanation work (pass-pixels) per API key per minute, refilled continuously; one maximal request (ExplainApi:Explain:MaxWorkPerRequest) by default.</summary>
    [Range(1, long.MaxValue)]
    public long WorkPerMinute { get; set; } = 4_000_000_000;
}
