using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// GET /v1/jobs/{id}/events: the job's event log as Server-Sent Events (WHATWG HTML §9.2). Each event
/// carries its sequence number as `id`, so a client that reconnects with Last-Event-ID gets exactly the
/// events it missed. The log lives in the store, so a stream survives a restart of the process that
/// runs the job. Comments keep idle connections open; the stream ends after the job's final state.
/// </summary>
public static class JobEventsEndpoint
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Stream(
        string id, HttpContext context, JobStore store, IOptions<JobsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return JobEndpoints.NotFound(id);
        }

        var after = long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastId) ? lastId : 0;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        var keepAlive = TimeSpan.FromSeconds(options.Value.EventsKeepAliveSeconds);
        var lastWrite = clock.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var events = await store.EventsAfterAsync(id, after, cancellationToken);
                foreach (var e in events)
                {
                    await response.WriteAsync($"id: {e.Seq}\nevent: {e.Type}\ndata: {e.Data}\n\n", cancellationToken);
                    after = e.Seq;
                }

                if (events.Count > 0)
                {
                    lastWrite = clock.GetUtcNow();
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                var job = await store.GetAsync(id, cancellationToken);
                if (job is null || JobState.IsTerminal(job.State))
                {
                    break;
                }

                if (clock.GetUtcNow() - lastWrite >= keepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    lastWrite = clock.GetUtcNow();
                }

                await Task.Delay(Poll, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }
}
