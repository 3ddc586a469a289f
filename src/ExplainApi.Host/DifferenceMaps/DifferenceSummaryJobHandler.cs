using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// The <c>difference-summary</c> job kind (issue 9 §5): a registered difference-map model (the request's model, version
/// in the options), one of its directions and a dataset (default the model's own) → <see cref="DifferenceSummaryJob"/>'s
/// files, served by GET /v1/jobs/{id}/difference-summary. No checkpoint: stopped by a shutdown, it runs again from the start.
/// </summary>
public sealed class DifferenceSummaryJobHandler(IModelRegistry registry, IDatasetResolver datasets, DifferenceSummaryJob summaries) : IJobHandler
{
    public const string JobKind = "difference-summary";

    public string Kind => JobKind;

    public string Description => "The mean and standard deviation of a difference-map model's maps over a dataset's source-class images (PNG and NIfTI) and its classifier's confusion matrices before and after translation.";

    public JsonObject Defaults => new()
    {
        ["direction"] = "the model's first", ["split"] = "test", ["splitSeed"] = 1, ["images"] = DifferenceSummarySettings.DefaultImages,
        ["classifier"] = "the model's linked classifier",
    };

    public string FailureTitle => "Difference summary failed";

    public string ShutdownOutcome => "it is summarised again from the start at next start";

    public ValidatedJob Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = request.Options?["version"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : (int?)null;
        var manifest = ModelName.IsValid(request.Model) ? registry.Find(request.Model!, version) : null;
        if (manifest is null)
        {
            return ValidatedJob.Missing;
        }

        var errors = new Dictionary<string, string[]>();
        if (manifest.Task != ModelTask.DifferenceMap)
        {
            errors["model"] = [$"Model '{manifest.Name}' is a {ModelTasks.Name(manifest.Task)} model; a difference summary needs a difference-map model."];
            return ValidatedJob.Invalid(errors);
        }

        var optionErrors = new Dictionary<string, string>();
        var settings = DifferenceSummarySettings.Parse(request.Options, manifest, optionErrors, out var named);
        foreach (var (field, message) in optionErrors)
        {
            errors[$"options.{field}"] = [message];
        }

        var reference = request.Dataset ?? manifest.Dataset;
        var dataset = JobDatasets.Resolve(datasets, reference, errors, "The model records no training dataset; name one.");
        if (errors.Count > 0)
        {
            return ValidatedJob.Invalid(errors);
        }

        var section = manifest.DifferenceMap!;
        var direction = section.Directions.Single(d => d.Name == settings!.Direction);
        var problem = (dataset!.Channels, dataset.Height, dataset.Width) != (manifest.Input.Channels, manifest.Input.Height, manifest.Input.Width)
            ? $"Model '{manifest.Name}' takes {manifest.Input.Channels}×{manifest.Input.Height}×{manifest.Input.Width} images; dataset {reference} has {dataset.Channels}×{dataset.Height}×{dataset.Width}."
            : !dataset.ClassNames.SequenceEqual(section.ClassNames)
                ? $"Model '{manifest.Name}' translates between {string.Join(", ", section.ClassNames)}; dataset {reference} has classes {string.Join(", ", dataset.ClassNames)}."
                : null;
        if (problem is not null)
        {
            return ValidatedJob.Invalid(errors) with { DatasetProblem = problem };
        }

        string[] classes = [direction.FromClass, direction.ToClass];
        var judgeProblem = named is { } judge
            ? LinkedModels.ClassifierProblem(registry, judge.Name, judge.Version, manifest.Input, classes) is { } ofNamed ? $"Option classifier: {ofNamed}" : null
            : section.Classifier is { } link && LinkedModels.ClassifierProblem(registry, link, manifest.Input, classes) is { } ofLink
                ? $"Model '{manifest.Name}' version {manifest.Version}: {ofLink}" : null;
        if (judgeProblem is not null)
        {
            return ValidatedJob.Invalid(errors) with { LinkProblem = judgeProblem };
        }

        // A named classifier is pinned now, so a later version registered under the name does not change what this job reports.
        var pinned = named is { } c ? settings! with { Classifier = LinkedModels.ResolveClassifier(registry, c.Name, c.Version) } : settings!;
        return ValidatedJob.Of(JobRecord.Queued(Kind, reference!, manifest.Name, pinned.ToJson()));
    }

    public async Task<JobOutcome> RunAsync(JobRecord job, JobFolders folders, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(folders);
        var settings = DifferenceSummarySettings.FromJson(job.Options);
        var summary = await summaries.RunAsync(job.Model, job.Dataset, settings, folders.Output, progress, cancellationToken);
        return new JobOutcome(settings.Version,
            $"model {job.Model} version {settings.Version} direction {settings.Direction} summarised over {summary.Images} images");
    }
}
