using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExplainApi.Host.Health;

/// <summary>
/// Liveness depends on nothing external (a live process that cannot reach its store should be left to
/// recover, not restarted). Readiness runs the checks tagged "ready" (store, disk, runtimes; never a model,
/// whose readiness is per model): a Degraded check (e.g. libtorch missing, so no training) still lets the
/// service take inference traffic. Both are anonymous, so no check names a model or a server path.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Health").AllowAnonymous();
        var ready = app.MapGroup("").WithTags("Health").AllowAnonymous().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/healthz/live", Live).WithName("Liveness").WithSummary("Is the process alive? Depends on nothing external.");
        ready.MapGet("/healthz/ready", Ready).WithName("Readiness").WithSummary("Can the service take traffic? The store is reachable, the disk has room and ONNX Runtime is loaded; models have their own readiness.");
        group.MapGet("/v2/health/live", Live).WithName("KServeLiveness").WithSummary("KServe V2 liveness.");
        ready.MapGet("/v2/health/ready", Ready).WithName("KServeReadiness").WithSummary("KServe V2 readiness.");
        return app;
    }

    public static Ok<LivenessReport> Live() => TypedResults.Ok(new LivenessReport(true));

    public static async Task<Results<Ok<ReadinessReport>, ProblemHttpResult>> Ready(
        HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadyTag), cancellationToken);
        var ready = report.Status != HealthStatus.Unhealthy;
        var body = new ReadinessReport(ready, report.Status.ToString(), report.Entries
            .Select(e => new HealthCheckReport(e.Key, e.Value.Status.ToString(), e.Value.Description,
                Math.Round(e.Value.Duration.TotalMilliseconds, 1), e.Value.Data.Count > 0 ? e.Value.Data : null))
            .ToList());
        if (ready)
        {
            return TypedResults.Ok(body);
        }

        var failing = body.Checks.Where(c => c.Status == nameof(HealthStatus.Unhealthy)).Select(c => $"{c.Name}: {c.Description}");
        return TypedResults.Problem(
            title: "Not ready",
            detail: string.Join("; ", failing),
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: Errors.ProblemTypes.NotReady,
            extensions: new Dictionary<string, object?> { ["checks"] = body.Checks });
    }
}
