using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Checks an evaluation request the same way for the route and the command line: the model (and version) exists (else
/// <see cref="ValidatedEvaluation.ModelMissing"/>), fields are in range (errors by field), the dataset resolves, has
/// ground-truth masks and the model's input shape (else <see cref="ValidatedJob.DatasetProblem"/>).
/// </summary>
public sealed class EvaluationRequestValidator(IModelRegistry registry, IDatasetResolver datasets)
{
    public const string Kind = "evaluate";

    public ValidatedEvaluation Validate(string model, EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var manifest = ModelName.IsValid(model) ? registry.Find(model, request.Version) : null;
        if (manifest is null)
        {
            return new ValidatedEvaluation(new ValidatedJob(null, null, new Dictionary<string, string[]>(), null), ModelMissing: true);
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

        var reference = request.Dataset ?? manifest.Dataset;
        IDataset? dataset = null;
        try
        {
            dataset = reference is null ? null : datasets.Resolve(reference);
            if (dataset is null)
            {
                errors["dataset"] = ["The model records no training dataset; name one with ground-truth masks."];
            }
        }
        catch (DatasetReferenceException exception)
        {
            errors["dataset"] = [Echo.Message(exception.Message)];
        }

        if (errors.Count > 0)
        {
            return new ValidatedEvaluation(new ValidatedJob(null, null, errors, null), false);
        }

        var problem = !dataset!.HasMasks ? $"Dataset {reference} has no ground-truth masks to score saliency maps against."
            : (dataset.Channels, dataset.Height, dataset.Width) != (manifest.Input.Channels, manifest.Input.Height, manifest.Input.Width)
                ? $"Model '{model}' takes {manifest.Input.Channels}×{manifest.Input.Height}×{manifest.Input.Width} images; dataset {reference} has {dataset.Channels}×{dataset.Height}×{dataset.Width}."
                : null;
        if (problem is not null)
        {
            return new ValidatedEvaluation(new ValidatedJob(null, null, errors, problem), false);
        }

        var settings = new EvaluationSettings(manifest.Version, split, request.SplitSeed ?? 1,
            [.. methods.Select(m => SaliencyMethods.TryGet(m, out var method) ? method.Name : m)], images, expensive, request.Seed ?? 0);
        var job = new JobRecord("job_" + Guid.CreateVersion7().ToString("N"), Kind, reference!, model, settings.ToJson(),
            JobState.Queued, null, null, null, 0, default, null, null, default);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            new JsonArray(Kind, job.Dataset, job.Model, job.Options.DeepClone()).ToJsonString())));
        return new ValidatedEvaluation(new ValidatedJob(job, hash, errors, null), false);
    }
}

/// <summary>The outcome of checking an evaluation request; <see cref="ModelMissing"/> means 404.</summary>
public sealed record ValidatedEvaluation(ValidatedJob Result, bool ModelMissing);
