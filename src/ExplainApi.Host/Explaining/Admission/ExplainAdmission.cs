using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>What the admission control holds right now (reported by /v1/platform).</summary>
public sealed record ExplainAdmissionInfo(int MaxConcurrentExplanations, int MaxQueuedExplanations, int Running, int Queued);

/// <summary>
/// Admission control for explanation compute: a <see cref="ConcurrencyLimiter"/> of
/// <see cref="ExplainOptions.MaxConcurrentExplanations"/> permits whose waiting queue (oldest first, at most
/// <see cref="ExplainOptions.MaxQueuedExplanations"/>) hands slots out in arrival order. A full queue fails the
/// acquisition at once (no waiting); a cancelled waiter leaves the queue. One per application.
/// </summary>
public sealed class ExplainAdmission : IDisposable
{
    private readonly ConcurrencyLimiter limiter;

    public ExplainAdmission(IOptions<ExplainOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Options.MaxConcurrentExplanations,
            QueueLimit = Options.MaxQueuedExplanations,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public ExplainOptions Options { get; }

    /// <summary>Explanations holding a slot.</summary>
    public int Running => Options.MaxConcurrentExplanations - (int)(limiter.GetStatistics()?.CurrentAvailablePermits ?? Options.MaxConcurrentExplanations);

    /// <summary>Explanations waiting for a slot.</summary>
    public int Queued => (int)(limiter.GetStatistics()?.CurrentQueuedCount ?? 0);

    public ExplainAdmissionInfo Info => new(Options.MaxConcurrentExplanations, Options.MaxQueuedExplanations, Running, Queued);

    /// <summary>
    /// A slot, now or after the requests ahead in the queue; a lease that is not acquired when running and queued
    /// are both full. Dispose the lease to free the slot.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while waiting (the queue place is freed).</exception>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellation) => limiter.AcquireAsync(1, cancellation);

    public void Dispose() => limiter.Dispose();
}
