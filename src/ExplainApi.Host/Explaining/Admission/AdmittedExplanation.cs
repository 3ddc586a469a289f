using System.Globalization;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.RateLimiting;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>Log category of the admission control (debug: slots taken, refused, freed).</summary>
public sealed class ExplainAdmissionLog;

/// <summary>
/// Runs one validated explanation request: prices it (422 explanation-too-costly over
/// <see cref="ExplainOptions.MaxWorkPerRequest"/>), charges the caller's work bucket (429), waits (FIFO) for its
/// slots in <see cref="ExplainAdmission"/> (503 explain-busy with Retry-After when the queue is full), and computes
/// off the request thread with a token that fires when the client goes away, the host stops or the deadline passes
/// (504), so the batched loops stop between batches and the slots are freed. Call it only after every cheap check.
/// </summary>
public sealed class AdmittedExplanation(
    ExplainAdmission admission, WorkRateLimiter work, IHostApplicationLifetime lifetime, ILogger<ExplainAdmissionLog> logger,
    [FromKeyedServices(AdmittedExplanation.DeadlineClock)] TimeProvider deadlineClock)
{
    /// <summary>The key of the clock the deadline runs on (the system's; a test makes every deadline pass at once).</summary>
    public const string DeadlineClock = "explain-deadline";

    public async Task<(SaliencyRun? Run, ProblemHttpResult? Problem)> RunAsync(
        HttpContext http, ServedModel served, IReadOnlyList<float[]> inputs, IReadOnlyList<ISaliencyMethod> methods, int? target,
        SaliencyOptions options, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(served);
        var (cost, costProblem) = ExplainExecution.Cost(served, inputs.Count, methods, options, cache);
        if (costProblem is not null)
        {
            return (null, costProblem);
        }

        return await RunAsync(http, served.Manifest.Name, cost, token => ExplainExecution.Run(served, inputs, methods, target, options, cache, token));
    }

    /// <summary>
    /// Any other model compute priced in pass-pixels (a difference map, a KServe inference) under the same limits,
    /// work bucket, slots and deadline; <paramref name="compute"/> runs off the request thread and should stop when its token fires.
    /// </summary>
    public async Task<(T? Result, ProblemHttpResult? Problem)> RunAsync<T>(
        HttpContext http, string model, long cost, Func<CancellationToken, (T? Result, ProblemHttpResult? Problem)> compute)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(compute);
        var limits = admission.Options;
        if (cost > limits.MaxWorkPerRequest)
        {
            return (null, SaliencyProblems.TooCostly(cost, limits.MaxWorkPerRequest));
        }

        if (work.TryConsume(http, cost) is { } rateLimited)
        {
            return (null, rateLimited);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        try
        {
            using var lease = await admission.EnterAsync(cost, token);
            if (!lease.IsAcquired)
            {
                work.Refund(http, cost);
                logger.LogDebug("Explanation of {Model} refused: {Running} slots running, {Queued} queued (limits {MaxRunning}/{MaxQueued})",
                    model, admission.Running, admission.Queued, limits.MaxConcurrentExplanations, limits.MaxQueuedExplanations);
                return (null, Busy(http, $"{limits.MaxConcurrentExplanations} explanation slot(s) are computing and {limits.MaxQueuedExplanations} waiting; " +
                    $"this request needs {admission.SlotsFor(cost)}; retry after {limits.RetryAfterSeconds} s."));
            }

            logger.LogDebug("Explanation of {Model} started: {Slots} slot(s) for {Cost} pass-pixels, {Running} running, {Queued} queued",
                model, admission.SlotsFor(cost), cost, admission.Running, admission.Queued);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(limits.DeadlineSeconds), deadlineClock);
            using var running = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
            try
            {
                // Compute blocks (ORT runs, a dynamic batch's queue); ExplainAdmission keeps enough pool threads for every admitted one.
                return await Task.Run(() => compute(running.Token), running.Token);
            }
            finally
            {
                logger.LogDebug("Explanation of {Model} finished{Cancelled}: slot freed, {Queued} queued",
                    model, token.IsCancellationRequested ? " (cancelled)" : "", admission.Queued);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            return (null, Busy(http, "The service is stopping; retry (another instance may answer)."));
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Explanation of {Model} stopped at its deadline of {Seconds} s ({Cost} pass-pixels)", model, limits.DeadlineSeconds, cost);
            return (null, SaliencyProblems.DeadlineExceeded(limits.DeadlineSeconds));
        }
    }

    private ProblemHttpResult Busy(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = admission.Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return SaliencyProblems.Busy(detail);
    }
}
