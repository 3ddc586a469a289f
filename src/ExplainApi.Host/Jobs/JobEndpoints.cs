using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>Training jobs: submit, poll, list, cancel. Progress streams from <see cref="JobEventsEndpoint"/>.</summary>
public static class JobEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization(Scopes.Train);
        group.MapPost("", Submit).WithName("SubmitJob")
            .WithSummary("Queue a training job; 202 with Location. Idempotency-Key makes retries safe.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("", List).WithName("ListJobs").WithSummary("Jobs, newest first, optionally by state, in pages.");
        group.MapGet("/kinds", Kinds).WithName("ListJobKinds").WithSummary("The job kinds (trainers, evaluate, difference-summary) and their default options.");
        group.MapGet("/{id}", Get).WithName("GetJob").WithSummary("A job's state, progress (epoch, step, losses, metrics, ETA), error and model link.");
        group.MapDelete("/{id}", Cancel).WithName("CancelJob")
            .WithSummary("Cancel a job: 202; it becomes cancelled once the trainer stops at its next step.");
        group.MapGet("/{id}/events", JobEventsEndpoint.Stream).WithName("StreamJobEvents")
            .WithSummary("Server-Sent Events of state changes and progress; resumes after Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        group.MapGet("/{id}/curves.png", JobCurvesEndpoint.Plot).WithName("PlotJobCurves")
            .WithSummary("Loss and metric curves of a job as a PNG.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png");
        return app;
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> Submit(
        JobRequest request, HttpContext context, JobRequestValidator validator,
        JobStore store, JobSignals signals, IOptions<JobsOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await JobSubmission.SubmitAsync(validator.Validate(request), () => ModelEndpoints.NotFound(request.Model ?? "", null),
            context, store, signals, options.Value, cancellationToken);
    }

    public static async Task<Results<Ok<JobPage>, ValidationProblem>> List(
        JobStore store, [FromQuery] string? state, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken cancellationToken)
    {
        var (p, size) = (page ?? 1, pageSize ?? 50);
        if (state is not null && !JobState.All.Contains(state))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [$"One of: {string.Join(", ", JobState.All)}."] });
        }

        if (p < 1 || size is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["page ≥ 1 and 1 ≤ pageSize ≤ 500."] });
        }

        var (items, total) = await store.ListAsync(state, p, size, cancellationToken);
        return TypedResults.Ok(new JobPage([.. items.Select(JobView.From)], p, size, total));
    }

    public static Ok<List<TrainerKind>> Kinds(JobHandlers handlers) => TypedResults.Ok(handlers.Kinds
        .Select(k => handlers.Find(k)!).Select(h => new TrainerKind(h.Kind, h.Description, h.Defaults)).ToList());

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> Get(string id, JobStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobView.From(job)) : NotFound(id);

    public static async Task<Results<Accepted<JobView>, ProblemHttpResult>> Cancel(
        string id, JobStore store, JobSignals signals, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return NotFound(id);
        }

        if (JobState.IsTerminal(job.State))
        {
            return TypedResults.Problem(title: "Job already finished", detail: $"Job {id} is {job.State}; there is nothing to cancel.",
                statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.JobFinished);
        }

        // Queued: cancelled at once. Running: cancelling until the trainer stops at its next step.
        if (!await store.TransitionAsync(id, [JobState.Queued], JobState.Cancelled, cancellationToken: cancellationToken))
        {
            await store.TransitionAsync(id, [JobState.Running], JobState.Cancelling, cancellationToken: cancellationToken);
            signals.RequestCancel(id);
        }

        return TypedResults.Accepted($"/v1/jobs/{id}", JobView.From((await store.GetAsync(id, cancellationToken))!));
    }

    internal static ProblemHttpResult NotFound(string id) => TypedResults.Problem(title: "Job not found",
        detail: $"There is no job '{Echo.Value(id)}'.", statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.JobNotFound);
}
