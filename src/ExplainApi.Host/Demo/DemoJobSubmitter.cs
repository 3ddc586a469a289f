using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Demo;

/// <summary>
/// Submits one demo training job through the ordinary job store when its model is neither registered nor being
/// trained (a queued, running or cancelling job of the same kind): a restart after a crash finds the interrupted job,
/// which the runner resumes, so no second one is submitted.
/// </summary>
public sealed class DemoJobSubmitter(
    IModelRegistry registry, JobStore store, JobRequestValidator validator, JobSignals signals, ILogger<DemoJobSubmitter> logger)
{
    public async Task SubmitIfMissingAsync(string model, string kind, string dataset, JsonObject options, CancellationToken cancellationToken)
    {
        if (registry.Find(model) is not null)
        {
            logger.LogInformation("Demo model {ModelName} is registered; nothing to train", model);
            return;
        }

        if (await store.FindActiveAsync(model, kind, cancellationToken) is { } active)
        {
            logger.LogInformation("Demo model {ModelName} is being trained by job {JobId} ({JobState})", model, active.Id, active.State);
            return;
        }

        var validated = validator.Validate(new JobRequest(kind, dataset, model, options));
        if (validated.Job is null)
        {
            // Only a broken build or a removed link gets here (the profiles are fixed): say why, keep serving.
            logger.LogError("The demo job for {ModelName} is invalid: {Problem}", model, validated.Describe());
            return;
        }

        var (outcome, job) = await store.CreateAsync(validated.Job, null, validated.RequestHash!, int.MaxValue, cancellationToken);
        signals.Wake();
        logger.LogInformation("Demo model {ModelName} is missing: job {JobId} trains it ({JobOutcome}); follow it at /v1/jobs/{JobId}",
            model, job!.Id, outcome, job.Id);
    }
}
