using System.Threading.RateLimiting;
using ExplainApi.Host.Admission;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>What the admission control holds right now (reported by /v1/platform): slots, not requests.</summary>
public sealed record ExplainAdmissionInfo(int MaxConcurrentExplanations, int MaxQueuedExplanations, int Running, int Queued);

/// <summary>
/// Admission control for explanation compute: a <see cref="WeightedAdmission"/> of
/// <see cref="ExplainOptions.MaxConcurrentExplanations"/> slots and <see cref="ExplainOptions.MaxQueuedExplanations"/>
/// queued slots, FIFO. A request takes one slot per <see cref="ExplainOptions.WorkPerSlot"/> of its cost (at least
/// one, at most all), so one RISE-all request holds what several Grad-CAM requests would. One per application.
/// </summary>
public sealed class ExplainAdmission : IDisposable
{
    private readonly WeightedAdmission slots;

    public ExplainAdmission(IOptions<ExplainOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        slots = new WeightedAdmission(Options.MaxConcurrentExplanations, Options.MaxQueuedExplanations);

        // Admitted compute blocks a pool thread (ORT runs, a run slot, a dynamic batch's queue): keep that many threads ready
        // beyond the processors' so that Kestrel's I/O never waits for the pool to grow (a thread per request cost ~3 ms).
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, Options.MaxConcurrentExplanations + Environment.ProcessorCount), completion);
    }

    public ExplainOptions Options { get; }

    /// <summary>Slots held by computing explanations.</summary>
    public int Running => slots.InUse;

    /// <summary>Slots asked for by waiting explanations.</summary>
    public int Queued => slots.Queued;

    public ExplainAdmissionInfo Info => new(Options.MaxConcurrentExplanations, Options.MaxQueuedExplanations, Running, Queued);

    /// <summary>The slots a request of <paramref name="cost"/> pass-pixels takes.</summary>
    public int SlotsFor(long cost) => slots.UnitsFor((long)Math.Ceiling((double)cost / Options.WorkPerSlot));

    /// <summary>One slot, now or after the requests ahead in the queue (see <see cref="EnterAsync(long, CancellationToken)"/>).</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellation) => slots.EnterAsync(1, cancellation);

    /// <summary>
    /// The slots of a request costing <paramref name="cost"/> pass-pixels, now or after the requests ahead in the
    /// queue; a lease that is not acquired when the queue is full. Dispose the lease to free the slots.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while waiting (the queue place is freed).</exception>
    public ValueTask<RateLimitLease> EnterAsync(long cost, CancellationToken cancellation) => slots.EnterAsync(SlotsFor(cost), cancellation);

    public void Dispose() => slots.Dispose();
}
