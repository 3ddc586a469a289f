using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// The <c>evaluate</c> job kind: the request names a registered model (and, in its options, the fields of
/// <see cref="EvaluationRequest"/>); the run picks the evaluation of the model's task from <see cref="ModelEvaluations"/>
/// and leaves <see cref="EvaluationFiles"/> in the output folder (GET /v1/jobs/{id}/evaluation). No checkpoint: a job
/// stopped by a shutdown is evaluated again from the start.
/// </summary>
public sealed class EvaluateJobHandler(EvaluationRequestValidator validator, IModelRegistry registry, ModelEvaluations evaluations) : IJobHandler
{
    public string Kind => EvaluationRequestValidator.Kind;

    public string Description => "Scores a registered model against ground-truth masks: every saliency method of a classifier; a difference-map model's maps beside its classifier's saliency methods; a segmentation model's IoU and Dice per class.";

    public JsonObject Defaults => new()
    {
        ["split"] = "test", ["splitSeed"] = 1, ["images"] = EvaluationSettings.DefaultImages,
        ["expensiveImages"] = EvaluationSettings.DefaultExpensiveImages, ["seed"] = 0,
    };

    public string FailureTitle => "Evaluation failed";

    public string ShutdownOutcome => "it is evaluated again from the start at next start";

    public ValidatedJob Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EvaluationRequest? body;
        try
        {
            body = request.Options?.Deserialize<EvaluationRequest>(JobStore.Json);
        }
        catch (JsonException exception)
        {
            return ValidatedJob.Invalid(new Dictionary<string, string[]> { ["options"] = [Echo.Message(exception.Message)] });
        }

        return validator.Validate(request.Model ?? "", (body ?? EvaluationRequestValidator.Empty) with { Dataset = request.Dataset ?? body?.Dataset });
    }

    public async Task<JobOutcome> RunAsync(JobRecord job, JobFolders folders, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(folders);
        var settings = EvaluationSettings.FromJson(job.Options);
        var manifest = registry.Find(job.Model, settings.Version)
            ?? throw new InvalidOperationException($"Model '{job.Model}' version {settings.Version} is no longer registered.");
        var evaluation = evaluations.Find(manifest.Task)
            ?? throw new InvalidOperationException($"There is no evaluation for {ModelTasks.Name(manifest.Task)} models.");
        var summary = await evaluation.EvaluateAsync(manifest, job.Dataset, settings, folders.Output, progress, cancellationToken);
        return new JobOutcome(settings.Version, $"model {job.Model} version {settings.Version} evaluated: {summary}");
    }
}
