using System.Globalization;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining.Admission;

/// <summary>Log category of the admission control (debug: slots taken, refused, freed).</summary>
public sealed class ExplainAdmissionLog;

/// <summary>
/// Runs one validated explanation request under <see cref="ExplainAdmission"/>: waits (FIFO) for a slot, answers
/// 503 explain-busy with Retry-After when running and queued are full, and computes off the request thread with a
/// token that fires when the client goes away (RequestAborted) or the host stops, so the batched loops stop
/// between batches and the slot is freed. Call it only after every cheap check: bad input never waits here.
/// </summary>
public sealed class AdmittedExplanation(ExplainAdmission admission, IHostApplicationLifetime lifetime, ILogger<ExplainAdmissionLog> logger)
{
    public async Task<(SaliencyRun? Run, ProblemHttpResult? Problem)> RunAsync(
        HttpContext http, ServedModel served, IReadOnlyList<float[]> inputs, IReadOnlyList<ISaliencyMethod> methods, int? target,
        SaliencyOptions options, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(served);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        var model = served.Manifest.Name;
        try
        {
            using var lease = await admission.EnterAsync(token);
            if (!lease.IsAcquired)
            {
                logger.LogDebug("Explanation of {Model} refused: {Running} running, {Queued} queued (limits {MaxRunning}/{MaxQueued})",
                    model, admission.Running, admission.Queued, admission.Options.MaxConcurrentExplanations, admission.Options.MaxQueuedExplanations);
                return (null, Busy(http, $"{admission.Options.MaxConcurrentExplanations} explanation(s) are computing and {admission.Options.MaxQueuedExplanations} waiting; " +
                    $"retry after {admission.Options.RetryAfterSeconds} s."));
            }

            logger.LogDebug("Explanation of {Model} started: {Running} running, {Queued} queued", model, admission.Running, admission.Queued);
            try
            {
                return await Task.Run(() => ExplainExecution.Run(served, inputs, methods, target, options, cache, token), token);
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
    }

    private ProblemHttpResult Busy(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = admission.Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return SaliencyProblems.Busy(detail);
    }
}
