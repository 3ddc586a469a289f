using ExplainApi.Core.Models;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ExplainApi.Onnx.Serving;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Saliency evaluation as a job: POST queues it (202 + Location of the job), GET returns its table once it succeeded.
/// Scope <c>train</c>, not <c>infer</c>: an evaluation occupies the job queue and the training device for minutes and
/// is followed through the job routes (train), while infer keys belong to clients such as PACS gateways that only
/// ask for maps.
/// </summary>
public static class EvaluationEndpoints
{
    public static IEndpointRouteBuilder MapEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/models/{name}/evaluate", Submit).WithTags("Evaluation").RequireAuthorization(Scopes.Train)
            .WithName("EvaluateModel")
            .WithSummary("Queue an evaluation against ground truth: a classifier's saliency methods (pointing game, energy, NCC, deletion/insertion), a difference-map model's maps, a segmentation model's IoU and Dice per class; 202 with the job's Location.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/v1/jobs/{id}/evaluation", Table).WithTags("Evaluation").RequireAuthorization(Scopes.Train)
            .WithName("GetEvaluation")
            .WithSummary("The table of a succeeded evaluate job: JSON, or Markdown with format=markdown.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<JobView>, ValidationProblem, ProblemHttpResult>> Submit(
        string name, EvaluationRequest? request, HttpContext context, EvaluationRequestValidator validator,
        JobStore store, JobSignals signals, IOptions<JobsOptions> options, IModelRegistry registry, ModelSessionCache cache,
        CancellationToken cancellationToken)
    {
        // A version whose manifest cannot be read exists all the same: say so, as the serving routes do.
        return await JobSubmission.SubmitAsync(validator.Validate(name, request ?? EvaluationRequestValidator.Empty),
            () => ModelCatalog.Find(name, request?.Version, registry, cache) is { } damaged ? ModelEndpoints.NotReady(damaged) : ModelEndpoints.NotFound(name, request?.Version),
            context, store, signals, options.Value, cancellationToken);
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Table(
        string id, [FromQuery] string? format, JobStore store, JobExecutor executor, CancellationToken cancellationToken)
    {
        var markdown = string.Equals(format, "markdown", StringComparison.OrdinalIgnoreCase);
        return await JobOutputFiles.ServeAsync(id, EvaluationRequestValidator.Kind, "Evaluation", markdown ? EvaluationFiles.Markdown : EvaluationFiles.Json,
            markdown ? "text/markdown; charset=utf-8" : "application/json", store, executor, cancellationToken);
    }
}
