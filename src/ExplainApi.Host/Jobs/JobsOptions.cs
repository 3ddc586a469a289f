using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Jobs;

/// <summary>The "ExplainApi:Jobs" section.</summary>
public sealed class JobsOptions
{
    public const string Section = "ExplainApi:Jobs";

    /// <summary>Training jobs run at once. One per device by default: two jobs on one device only slow each other.</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Queued jobs accepted before POST answers 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int MaxQueuedJobs { get; set; } = 32;

    /// <summary>Trainers checkpoint at least this often, so a crash loses at most this many steps.</summary>
    [Range(1, 1_000_000)]
    public int CheckpointEverySteps { get; set; } = 50;

    /// <summary>Progress is written to the store at most this often (the latest report always wins).</summary>
    [Range(50, 60_000)]
    public int ProgressIntervalMilliseconds { get; set; } = 500;

    /// <summary>How often the runner looks for queued work when nothing woke it.</summary>
    [Range(100, 600_000)]
    public int PollIntervalMilliseconds { get; set; } = 2000;

    /// <summary>An SSE comment this often keeps proxies from closing an idle event stream.</summary>
    [Range(1, 3600)]
    public int EventsKeepAliveSeconds { get; set; } = 15;
}
