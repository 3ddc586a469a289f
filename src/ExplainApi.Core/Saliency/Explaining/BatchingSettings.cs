namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Dynamic batching of one model version (<see cref="BatchingExplainableModel"/>): at most <see cref="MaxBatch"/> items per
/// batched call, and the first caller waits at most <see cref="MaxQueueDelay"/> for others to join it.
/// </summary>
public sealed record BatchingSettings(int MaxBatch, TimeSpan MaxQueueDelay)
{
    public int MaxBatch { get; } = MaxBatch > 0 ? MaxBatch : throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "At least one item.");

    public TimeSpan MaxQueueDelay { get; } = MaxQueueDelay >= TimeSpan.Zero ? MaxQueueDelay : throw new ArgumentOutOfRangeException(nameof(MaxQueueDelay), MaxQueueDelay, "Not negative.");
}
