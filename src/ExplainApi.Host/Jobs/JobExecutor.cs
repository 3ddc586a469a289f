using ExplainApi.Core;
using ExplainApi.Core.Datasets;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Logging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// Runs one claimed job through its kind's <see cref="IJobHandler"/> (train → registry, evaluate → table, …) and records
/// the final state. Work (checkpoints) and output live in {data}/jobs/{id}/ so that a restarted process finds them.
/// A failure ends this job only.
/// </summary>
public sealed class JobExecutor(
    JobStore store,
    JobSignals signals,
    JobHandlers handlers,
    IOptions<JobsOptions> jobOptions,
    IOptions<ExplainApiOptions> options,
    TimeProvider clock,
    ILogger<JobExecutor> logger)
{
    public string JobDirectory(string jobId) => Path.Combine(options.Value.DataDirectoryFullPath, "jobs", jobId);

    /// <summary>The output folder of a job: what its routes serve.</summary>
    public string OutputDirectory(string jobId) => new JobFolders(JobDirectory(jobId)).Output;

    public async Task RunAsync(JobRecord job, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        signals.Started(job.Id, cancel);
        var recorder = new ProgressRecorder(store, job.Id, TimeSpan.FromMilliseconds(jobOptions.Value.ProgressIntervalMilliseconds), clock);
        try
        {
            // A cancel that arrived between the claim and now.
            if ((await store.GetAsync(job.Id, CancellationToken.None))?.State == JobState.Cancelling)
            {
                await cancel.CancelAsync();
            }

            logger.LogInformation("Job {JobId} ({JobKind}) started, attempt {Attempt}", job.Id, job.Kind, job.Attempts);
            var outcome = await handlers.Of(job).RunAsync(job, new JobFolders(JobDirectory(job.Id)), recorder, cancel.Token);
            await recorder.FlushAsync();
            await store.TransitionAsync(job.Id, [JobState.Running, JobState.Cancelling], JobState.Succeeded, modelVersion: outcome.ModelVersion, cancellationToken: CancellationToken.None);
            logger.LogInformation("Job {JobId} succeeded: {JobOutcome}", job.Id, outcome.Summary);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await recorder.FlushAsync();
            var requeued = await store.TransitionAsync(job.Id, [JobState.Running], JobState.Queued, cancellationToken: CancellationToken.None);
            await store.TransitionAsync(job.Id, [JobState.Cancelling], JobState.Cancelled, cancellationToken: CancellationToken.None);
            logger.LogInformation("Job {JobId} stopped for shutdown; {Outcome}", job.Id,
                !requeued ? "it was being cancelled" : handlers.Find(job.Kind)?.ShutdownOutcome ?? "it is queued again");
        }
        catch (OperationCanceledException)
        {
            await recorder.FlushAsync();
            await store.TransitionAsync(job.Id, [JobState.Running, JobState.Cancelling], JobState.Cancelled, cancellationToken: CancellationToken.None);
            logger.LogInformation("Job {JobId} cancelled", job.Id);
        }
        catch (Exception exception)
        {
            await recorder.FlushAsync();
            logger.LogError("Job {JobId} failed: {ExceptionType} ({FailureKind}) at {StackTrace}",
                job.Id, exception.GetType().FullName, FailureKinds.Of(exception), exception.StackTrace);
            var problem = new ProblemDetails
            {
                Type = ProblemTypes.JobFailed,
                Title = handlers.Find(job.Kind)?.FailureTitle ?? "Job failed",
                Status = StatusCodes.Status500InternalServerError,
                // Clients read this in GET /v1/jobs/{id}: I/O messages name server paths.
                Detail = ClientSafeText.WithoutPaths(exception is DatasetReferenceException or InvalidOperationException or IOException or InvalidDataException
                    ? exception.Message
                    : $"{exception.GetType().Name}: {exception.Message}"),
            };
            await store.TransitionAsync(job.Id, [JobState.Running, JobState.Cancelling], JobState.Failed, problem, cancellationToken: CancellationToken.None);
        }
        finally
        {
            signals.Finished(job.Id);
        }
    }
}
