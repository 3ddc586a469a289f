using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// The one way a validated job enters the queue, shared by every route that submits one (training, evaluation):
/// stored before it is acknowledged, Idempotency-Key honoured, a full queue answered 503 with Retry-After.
/// </summary>
public static class JobSubmission
{
    /// <summary>
    /// A validated request as the answer of a submitting route: errors 400 by field, a missing model as
    /// <paramref name="modelMissing"/> says (404), an unusable dataset or linked model 422, else queued (202).
    /// </summary>
    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        ValidatedJob validated, Func<ProblemHttpResult> modelMissing, HttpContext context, JobStore store, JobSignals signals, JobsOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validated);
        ArgumentNullException.ThrowIfNull(modelMissing);
        if (validated.ModelMissing)
        {
            return modelMissing();
        }

        if (validated.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(validated.Errors, title: "The job request is invalid", type: ProblemTypes.ValidationFailed);
        }

        if (validated.DatasetProblem is { } unsuitable)
        {
            return TypedResults.Problem(title: "Dataset unsuitable", detail: unsuitable,
                statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemTypes.DatasetUnsuitable);
        }

        if (validated.LinkProblem is { } link)
        {
            return TypedResults.Problem(title: "Linked model unusable", detail: link,
                statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemTypes.LinkedModelUnusable);
        }

        return await EnqueueAsync(validated.Job!, validated.RequestHash!, context, store, signals, options, cancellationToken);
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> EnqueueAsync(
        JobRecord job, string requestHash, HttpContext context, JobStore store, JobSignals signals, JobsOptions options, CancellationToken cancellationToken)
    {
        var key = context.Request.Headers[JobEndpoints.IdempotencyHeader].ToString();
        var (outcome, stored) = await store.CreateAsync(job, key.Length > 0 ? key : null, requestHash, options.MaxQueuedJobs, cancellationToken);
        switch (outcome)
        {
            case JobCreateOutcome.QueueFull:
                context.Response.Headers.RetryAfter = "30";
                return TypedResults.Problem(title: "Queue full",
                    detail: $"{options.MaxQueuedJobs} jobs are already queued; retry later.",
                    statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.QueueFull);
            case JobCreateOutcome.KeyConflict:
                return TypedResults.Problem(title: "Idempotency key reused",
                    detail: $"Idempotency-Key '{Echo.Value(key)}' was used for job {stored!.Id} with a different request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemTypes.IdempotencyConflict);
            default:
                signals.Wake();
                return TypedResults.Accepted($"/v1/jobs/{stored!.Id}", JobView.From(stored));
        }
    }
}
