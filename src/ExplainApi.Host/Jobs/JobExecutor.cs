using ExplainApi.Core;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Logging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// Runs one claimed job: trainer → model registry → final state, or an evaluation → its table in the job's output. Work (checkpoints) and output live in
/// {data}/jobs/{id}/ so that a restarted process finds them. A failure ends this job only.
/// </summary>
public sealed class JobExecutor(
    JobStore store,
    JobSignals signals,
    TrainerCatalog trainers,
    EvaluationJob evaluation,
    IDatasetResolver datasets,
    IModelRegistry registry,
    IOptions<JobsOptions> jobOptions,
    IOptions<ExplainApiOptions> options,
    TimeProvider clock,
    ILogger<JobExecutor> logger)
{
    public string JobDirectory(string jobId) => Path.Combine(options.Value.DataDirectoryFullPath, "jobs", jobId);

    private async Task TrainAsync(JobRecord job, ProgressRecorder recorder, CancellationToken cancellationToken)
    {
        var trainer = trainers.Find(job.Kind) ?? throw new InvalidOperationException($"No trainer for kind '{job.Kind}'.");
        var dataset = datasets.Resolve(job.Dataset);
        var work = Directory.CreateDirectory(Path.Combine(JobDirectory(job.Id), "work")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(JobDirectory(job.Id), "output")).FullName;
        var run = new TrainingRun(job.Id, job.Options, dataset, work, output, jobOptions.Value.CheckpointEverySteps, recorder);
        var trained = await trainer.TrainAsync(run, cancellationToken);
        await recorder.FlushAsync();

        var manifest = await registry.RegisterAsync(job.Model, trained.Under(output), job.Id, job.Dataset, CancellationToken.None);
        await store.TransitionAsync(job.Id, [JobState.Running, JobState.Cancelling], JobState.Succeeded, modelVersion: manifest.Version, cancellationToken: CancellationToken.None);
        Directory.Delete(work, recursive: true);
        logger.LogInformation("Job {JobId} succeeded: model {ModelName} version {ModelVersion}", job.Id, manifest.Name, manifest.Version);
    }

    /// <summary>An evaluate job: its table lands in output/ (served by GET /v1/jobs/{id}/evaluation); the job links the version it scored.</summary>
    private async Task EvaluateAsync(JobRecord job, ProgressRecorder recorder, CancellationToken cancellationToken)
    {
        var settings = EvaluationSettings.FromJson(job.Options);
        var output = Path.Combine(JobDirectory(job.Id), "output");
        var table = await evaluation.RunAsync(job.Model, job.Dataset, settings, output, recorder, cancellationToken);
        await recorder.FlushAsync();
        await store.TransitionAsync(job.Id, [JobState.Running, JobState.Cancelling], JobState.Succeeded, modelVersion: settings.Version, cancellationToken: CancellationToken.None);
        logger.LogInformation("Job {JobId} succeeded: model {ModelName} version {ModelVersion} evaluated with {MethodCount} methods",
            job.Id, job.Model, settings.Version, table.Methods.Count);
    }

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
            if (job.Kind == EvaluationRequestValidator.Kind)
            {
                await EvaluateAsync(job, recorder, cancel.Token);
            }
            else
            {
                await TrainAsync(job, recorder, cancel.Token);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await recorder.FlushAsync();
            var requeued = await store.TransitionAsync(job.Id, [JobState.Running], JobState.Queued, cancellationToken: CancellationToken.None);
            await store.TransitionAsync(job.Id, [JobState.Cancelling], JobState.Cancelled, cancellationToken: CancellationToken.None);
            logger.LogInformation("Job {JobId} stopped for shutdown; {Outcome}", job.Id, !requeued ? "it was being cancelled"
                : job.Kind == EvaluationRequestValidator.Kind ? "it is evaluated again from the start at next start" : "it resumes from its checkpoint at next start");
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
                Title = job.Kind == EvaluationRequestValidator.Kind ? "Evaluation failed" : "Training failed",
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
