using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Uploads;

/// <summary>The spool settings of the "ExplainApi:Storage" section.</summary>
public sealed class SpoolOptions
{
    public const string Section = "ExplainApi:Storage";

    /// <summary>A spool entry not written for this long is a leftover (far longer than any upload or import takes).</summary>
    [Range(1, 7 * 24 * 60)]
    public int SpoolMaxAgeMinutes { get; set; } = 60;

    [Range(1, 24 * 60)]
    public int SpoolSweepIntervalMinutes { get; set; } = 5;
}
