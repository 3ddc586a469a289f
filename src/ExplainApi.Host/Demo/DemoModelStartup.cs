using ExplainApi.Core.Models;
using ExplainApi.Host.Jobs;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Demo;

/// <summary>
/// At start, when <see cref="DemoOptions.Enabled"/>: if no model <see cref="DemoOptions.Model"/> is registered and no training job
/// for it is queued, running or cancelling, submits one <see cref="DemoProfile"/> job through the ordinary job store, so a
/// newcomer gets a model to explain without preparing anything. A restart after a crash finds the interrupted job (the
/// runner requeues it and it resumes from its checkpoint), so it never submits a second one; once the model exists it
/// submits nothing. Runs after the store is migrated (it is registered after it) and before the runner claims work.
/// </summary>
public sealed class DemoModelStartup(
    IOptions<DemoOptions> options,
    IModelRegistry registry,
    JobStore store,
    JobRequestValidator validator,
    JobSignals signals,
    ILogger<DemoModelStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }

        if (registry.Find(demo.Model) is not null)
        {
            logger.LogInformation("Demo model {ModelName} is registered; nothing to train", demo.Model);
            return;
        }

        if (await store.FindActiveAsync(demo.Model, DemoProfile.Kind, cancellationToken) is { } active)
        {
            logger.LogInformation("Demo model {ModelName} is being trained by job {JobId} ({JobState})", demo.Model, active.Id, active.State);
            return;
        }

        var validated = validator.Validate(new JobRequest(DemoProfile.Kind, demo.Dataset, demo.Model, DemoProfile.Options()));
        if (validated.Job is null)
        {
            // Only a broken build gets here (the profile is fixed and the options are validated): say why, keep serving.
            logger.LogError("The demo job is invalid: {Problem}", validated.Describe());
            return;
        }

        var (outcome, job) = await store.CreateAsync(validated.Job, null, validated.RequestHash!, int.MaxValue, cancellationToken);
        signals.Wake();
        logger.LogInformation("Demo model {ModelName} is missing: job {JobId} trains it ({JobOutcome}); follow it at /v1/jobs/{JobId}",
            demo.Model, job!.Id, outcome, job.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
