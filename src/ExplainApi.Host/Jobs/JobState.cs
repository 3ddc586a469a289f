namespace ExplainApi.Host.Jobs;

/// <summary>
/// A job's life: queued → running → succeeded | failed | cancelled; a cancel of a running job passes
/// through cancelling until the trainer stops at its next step. A running job found at start-up (the
/// process died) goes back to queued and resumes from its last checkpoint.
/// </summary>
public static class JobState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Succeeded, Failed, Cancelling, Cancelled];

    public static bool IsTerminal(string state) => state is Succeeded or Failed or Cancelled;
}
