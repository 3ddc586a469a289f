using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// Any <see cref="ITrainer"/> as a job kind: the request names a dataset and the model to register; the trainer checks its
/// options, the dataset and the registered models it links; the run trains (resuming from the work folder's checkpoint),
/// registers the result as the next version of the job's model, then drops the checkpoints.
/// </summary>
/// <param name="explainableModels">The registered classifiers as the saliency methods see them, for trainers that learn from their explanations.</param>
public sealed class TrainerJobHandler(ITrainer trainer, IDatasetResolver datasets, IModelRegistry registry, JobsOptions options, IExplainableModelProvider? explainableModels = null)
    : IJobHandler
{
    public string Kind => trainer.Kind;

    public string Description => trainer.Description;

    public JsonObject Defaults => trainer.ValidateOptions(null).Values;

    public string FailureTitle => "Training failed";

    public string ShutdownOutcome => "it resumes from its checkpoint at next start";

    public ValidatedJob Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (!ModelName.IsValid(request.Model))
        {
            errors["model"] = [ModelName.Rule];
        }

        var dataset = JobDatasets.Resolve(datasets, request.Dataset, errors, "Name a dataset: synthetic:squares?n=2000&seed=1, or an uploaded dataset id.");
        var validated = trainer.ValidateOptions(request.Options);
        foreach (var (field, message) in validated.Errors)
        {
            errors[$"options.{field}"] = [message];
        }

        if (errors.Count > 0)
        {
            return ValidatedJob.Invalid(errors);
        }

        if ((trainer.ValidateDataset(dataset!) ?? trainer.ValidateDatasetOptions(validated.Values, dataset!)) is { } unsuitable)
        {
            return ValidatedJob.Invalid(errors) with { DatasetProblem = unsuitable };
        }

        return trainer.ValidateLinks(validated.Values, dataset!, registry) is { } link
            ? ValidatedJob.Invalid(errors) with { LinkProblem = link }
            : ValidatedJob.Of(JobRecord.Queued(Kind, request.Dataset!, request.Model!, validated.Values));
    }

    public async Task<JobOutcome> RunAsync(JobRecord job, JobFolders folders, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(folders);
        var dataset = datasets.Resolve(job.Dataset);
        var work = Directory.CreateDirectory(folders.Work).FullName;
        var output = Directory.CreateDirectory(folders.Output).FullName;
        var run = new TrainingRun(job.Id, job.Options, dataset, work, output, options.CheckpointEverySteps, progress, registry, explainableModels);
        var trained = await trainer.TrainAsync(run, cancellationToken);
        var manifest = await registry.RegisterAsync(job.Model, trained.Under(output), job.Id, job.Dataset, CancellationToken.None);
        Directory.Delete(work, recursive: true);
        return new JobOutcome(manifest.Version, $"model {manifest.Name} version {manifest.Version}");
    }
}
