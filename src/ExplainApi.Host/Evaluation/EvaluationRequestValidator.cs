using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Checks an evaluation request the same way for the route, POST /v1/jobs and the command line: the model (and version)
/// exists (else <see cref="ValidatedJob.ModelMissing"/>), fields are in range (errors by field), the dataset resolves, has
/// ground-truth masks and the model's input shape, and the model's task has an evaluation (else
/// <see cref="ValidatedJob.DatasetProblem"/>); a difference-map model's linked classifier (whose saliency methods are
/// scored beside it) is registered (else <see cref="ValidatedJob.LinkProblem"/>).
/// </summary>
public sealed class EvaluationRequestValidator(IModelRegistry registry, IDatasetResolver datasets, ModelEvaluations evaluations)
{
    public const string Kind = "evaluate";

    public static EvaluationRequest Empty { get; } = new(null, null, null, null, null, null, null, null);

    public ValidatedJob Validate(string model, EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var manifest = ModelName.IsValid(model) ? registry.Find(model, request.Version) : null;
        if (manifest is null)
        {
            return ValidatedJob.Missing;
        }

        var errors = new Dictionary<string, string[]>();
        var split = request.Split ?? "test";
        if (!EvaluationSettings.Splits.Contains(split))
        {
            errors["split"] = [$"One of: {string.Join(", ", EvaluationSettings.Splits)}."];
        }

        var methods = request.Methods ?? [.. SaliencyMethods.All.Select(m => m.Name)];
        var unknown = methods.Where(m => !SaliencyMethods.TryGet(m, out _)).ToList();
        if (methods.Count == 0 || unknown.Count > 0)
        {
            errors["methods"] = [$"Name at least one of: {string.Join(", ", SaliencyMethods.All.Select(m => m.Name))}{(unknown.Count > 0 ? $" (unknown: {Echo.Message(string.Join(", ", unknown))})" : "")}."];
        }

        var images = request.Images ?? EvaluationSettings.DefaultImages;
        if (images is < 1 or > EvaluationSettings.MaxImages)
        {
            errors["images"] = [$"From 1 to {EvaluationSettings.MaxImages}."];
        }

        var expensive = request.ExpensiveImages ?? Math.Min(EvaluationSettings.DefaultExpensiveImages, images);
        if (expensive < 1 || expensive > images)
        {
            errors["expensiveImages"] = ["From 1 to images."];
        }

        var evaluation = evaluations.Find(manifest.Task);
        if (evaluation is { ScoresSaliencyMethods: false })
        {
            // Refused rather than ignored, so no client believes they applied.
            var refusal = $"A {ModelTasks.Name(manifest.Task)} model is scored without saliency methods; omit this field.";
            errors.Remove("methods");
            errors.Remove("expensiveImages");
            if (request.Methods is not null)
            {
                errors["methods"] = [refusal];
            }

            if (request.ExpensiveImages is not null)
            {
                errors["expensiveImages"] = [refusal];
            }
        }

        var reference = request.Dataset ?? manifest.Dataset;
        var dataset = JobDatasets.Resolve(datasets, reference, errors, "The model records no training dataset; name one with ground-truth masks.");
        if (errors.Count > 0)
        {
            return ValidatedJob.Invalid(errors);
        }

        var problem = evaluation is null ? $"Model '{model}' is a {ModelTasks.Name(manifest.Task)} model; there is no evaluation for that task."
            : evaluation.DatasetProblem(manifest, dataset!, reference!);
        if (problem is not null)
        {
            return ValidatedJob.Invalid(errors) with { DatasetProblem = problem };
        }

        if (manifest.DifferenceMap is { } section && LinkedModels.ClassifierProblem(registry, section.Classifier, manifest.Input, section.ClassNames) is { } link)
        {
            return ValidatedJob.Invalid(errors) with { LinkProblem = $"Model '{model}' version {manifest.Version}: {link}" };
        }

        var settings = new EvaluationSettings(manifest.Version, split, request.SplitSeed ?? 1,
            evaluation!.ScoresSaliencyMethods ? [.. methods.Select(m => SaliencyMethods.TryGet(m, out var method) ? method.Name : m)] : [], images, expensive, request.Seed ?? 0);
        return ValidatedJob.Of(JobRecord.Queued(Kind, reference!, model, settings.ToJson()));
    }

    /// <summary>
    /// Why a dataset cannot score a classifier's saliency maps (or a difference-map model's): no ground-truth masks,
    /// multi-label, or another input shape than the model's; null when it can.
    /// </summary>
    public static string? MaskProblem(ModelManifest manifest, IDataset dataset, string reference)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(dataset);
        return !dataset.HasMasks ? $"Dataset {reference} has no ground-truth masks to score saliency maps against."
            : dataset is IMultiLabelDataset ? SaliencyEvaluator.MultiLabelRefusal(dataset)
            : ShapeProblem(manifest, dataset, reference);
    }

    /// <summary>Why the dataset's images do not fit the model's input, or null.</summary>
    public static string? ShapeProblem(ModelManifest manifest, IDataset dataset, string reference)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(dataset);
        return (dataset.Channels, dataset.Height, dataset.Width) != (manifest.Input.Channels, manifest.Input.Height, manifest.Input.Width)
            ? $"Model '{manifest.Name}' takes {manifest.Input.Channels}×{manifest.Input.Height}×{manifest.Input.Width} images; dataset {reference} has {dataset.Channels}×{dataset.Height}×{dataset.Width}."
            : null;
    }
}
