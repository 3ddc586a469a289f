using System.Text.Json.Nodes;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// One job kind (a trainer, <c>evaluate</c>, <c>difference-summary</c>…): how a request becomes a job (or errors) at POST
/// time, and how the executor runs it. The executor, the validator, the kinds route and the command line know kinds
/// only through <see cref="JobHandlers"/>. Implementations are stateless singletons.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    string Description { get; }

    /// <summary>The completed options of an empty request (what GET /v1/jobs/kinds shows).</summary>
    JsonObject Defaults { get; }

    /// <summary>The problem title when a job of this kind fails, e.g. "Training failed".</summary>
    string FailureTitle { get; }

    /// <summary>What happens to a job of this kind stopped by a shutdown, for the log (e.g. "it resumes from its checkpoint at next start").</summary>
    string ShutdownOutcome { get; }

    /// <summary>The job ready to store, or why not (errors by field, a missing model, an unsuitable dataset or link).</summary>
    ValidatedJob Validate(JobRequest request);

    /// <summary>Runs the job (throwing <see cref="OperationCanceledException"/> when cancelled); its files go to <paramref name="folders"/>.</summary>
    Task<JobOutcome> RunAsync(JobRecord job, JobFolders folders, IProgress<TrainingProgress> progress, CancellationToken cancellationToken);
}

/// <summary>What a succeeded job links (the version it registered or scored) and one line for the log.</summary>
public sealed record JobOutcome(int? ModelVersion, string Summary);

/// <summary>{data}/jobs/{id}/: work (checkpoints, kept across restarts) and output (what the job's routes serve).</summary>
public sealed record JobFolders(string Root)
{
    public string Work => Path.Combine(Root, "work");

    public string Output => Path.Combine(Root, "output");
}
