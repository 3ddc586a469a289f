using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// The results of a succeeded difference-summary job (queued by POST /v1/jobs with kind <c>difference-summary</c>): its
/// JSON (confusion matrices, file names) and its mean and std maps as PNG and float32 NIfTI. Scope <c>train</c>, as jobs.
/// </summary>
public static class DifferenceSummaryEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [DifferenceSummaryFiles.MeanPng] = "image/png",
        [DifferenceSummaryFiles.StdPng] = "image/png",
        [DifferenceSummaryFiles.MeanNifti] = "application/octet-stream",
        [DifferenceSummaryFiles.StdNifti] = "application/octet-stream",
        [DifferenceSummaryFiles.Markdown] = "text/markdown; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapDifferenceSummaryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs/{id}/difference-summary").WithTags("Difference maps").RequireAuthorization(Scopes.Train)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", Summary).WithName("GetDifferenceSummary")
            .WithSummary("The summary of a succeeded difference-summary job: images, confusion matrices before and after translation, flip rate, file names.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        group.MapGet("/{file}", File).WithName("GetDifferenceSummaryFile")
            .WithSummary("mean.png, std.png (colour maps), mean.nii, std.nii (float32 NIfTI-1) or summary.md (the confusion matrices as a table) of a succeeded difference-summary job.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown");
        return app;
    }

    public static Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Summary(string id, JobStore store, JobExecutor executor, CancellationToken cancellationToken) =>
        JobOutputFiles.ServeAsync(id, DifferenceSummaryJobHandler.JobKind, "Difference summary", DifferenceSummaryFiles.Json, "application/json", store, executor, cancellationToken);

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> File(
        string id, string file, JobStore store, JobExecutor executor, CancellationToken cancellationToken) =>
        ContentTypes.TryGetValue(file, out var type)
            ? await JobOutputFiles.ServeAsync(id, DifferenceSummaryJobHandler.JobKind, "Difference summary", file, type, store, executor, cancellationToken)
            : TypedResults.Problem(title: "No such file", detail: $"A difference summary has {string.Join(", ", ContentTypes.Keys)}; not '{Echo.Value(file)}'.",
                statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.JobNotFound);
}
