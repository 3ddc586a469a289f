using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Platform;

/// <summary>The "ExplainApi:Memory" section: when an idle service gives a burst's memory back (see <see cref="MemoryRelief"/>).</summary>
public sealed class MemoryReliefOptions
{
    public const string Section = "ExplainApi:Memory";

    /// <summary>Run one compacting, decommitting collection once a burst is over; false leaves it to the GC alone.</summary>
    public bool CollectWhenIdle { get; set; } = true;

    /// <summary>How much the process must have allocated since the last such collection for one to be worth its pause.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long MinAllocatedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>A burst is over when less than this was allocated in the last check interval (2 s).</summary>
    [Range(0, long.MaxValue)]
    public long IdleAllocatedBytes { get; set; } = 16L * 1024 * 1024;
}
