using System.Diagnostics;

namespace ExplainApi.Host.Logging;

/// <summary>
/// One log event per request with the method, the matched route pattern (never the raw path or query,
/// which may hold identifiers), the status code and the elapsed time. Bodies are never logged. Health
/// probes log at Debug so that they do not drown the rest. A request whose client left before any answer is 499.
/// </summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            // A client that went away before an answer started gets none; 499 (nginx's "client closed request") says
            // so, where the untouched default would read as a 200 success.
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? ClientClosedRequest : context.Response.StatusCode;
            var level = route.Contains("health", StringComparison.OrdinalIgnoreCase) && status < 500
                ? LogLevel.Debug
                : status >= 500 ? LogLevel.Error : LogLevel.Information;
            logger.Log(level, "HTTP {RequestMethod} {RoutePattern} responded {StatusCode} in {ElapsedMs:0.0} ms",
                context.Request.Method, route, status, elapsed);
        }
    }
}
