using System.Threading.RateLimiting;

namespace ExplainApi.Host.Admission;

/// <summary>
/// Admission by cost, the one primitive behind explanation slots and decoding pixels: a
/// <see cref="ConcurrencyLimiter"/> of <see cref="Capacity"/> units whose queue (oldest first, at most
/// <see cref="QueueLimit"/> units) hands units out in arrival order. A request takes its weight clamped to
/// [1, <see cref="Capacity"/>], so one dearer than everything still runs, alone. A full queue fails at once.
/// </summary>
public sealed class WeightedAdmission : IDisposable
{
    private readonly ConcurrencyLimiter limiter;

    public WeightedAdmission(int capacity, int queueLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        (Capacity, QueueLimit) = (capacity, queueLimit);
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = capacity,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Capacity { get; }

    public int QueueLimit { get; }

    /// <summary>Units held by admitted requests.</summary>
    public int InUse => Capacity - (int)(limiter.GetStatistics()?.CurrentAvailablePermits ?? Capacity);

    /// <summary>Units asked for by waiting requests.</summary>
    public int Queued => (int)(limiter.GetStatistics()?.CurrentQueuedCount ?? 0);

    /// <summary>The units a request of <paramref name="weight"/> takes.</summary>
    public int UnitsFor(long weight) => (int)Math.Clamp(weight, 1, Capacity);

    /// <summary>The units now or after the requests ahead; not acquired when the queue is full. Dispose to give them back.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while waiting (the queue place is freed).</exception>
    public ValueTask<RateLimitLease> EnterAsync(long weight, CancellationToken cancellation) => limiter.AcquireAsync(UnitsFor(weight), cancellation);

    /// <summary>The units now, or a lease that is not acquired (never waits).</summary>
    public RateLimitLease TryEnter(long weight) => limiter.AttemptAcquire(UnitsFor(weight));

    public void Dispose() => limiter.Dispose();
}
