using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// A file of a job's output folder as a route answers it: 404 when there is no job of that kind with that id, 409 until
/// it has succeeded, else the file. Shared by the routes that serve job results (evaluation, difference summary).
/// </summary>
public static class JobOutputFiles
{
    /// <param name="what">What the route serves, for the problem titles (e.g. "Evaluation").</param>
    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ServeAsync(
        string id, string kind, string what, string file, string contentType, JobStore store, JobExecutor executor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(executor);
        var job = await store.GetAsync(id, cancellationToken);
        if (job is null || job.Kind != kind)
        {
            return TypedResults.Problem(title: $"{what} not found", detail: $"There is no {kind} job '{Echo.Value(id)}'.",
                statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.JobNotFound);
        }

        if (job.State != JobState.Succeeded)
        {
            return TypedResults.Problem(title: $"{what} not finished", detail: $"Job {id} is {job.State}; its results exist once it has succeeded.",
                statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.JobNotFinished);
        }

        return TypedResults.PhysicalFile(Path.Combine(executor.OutputDirectory(id), file), contentType);
    }
}
