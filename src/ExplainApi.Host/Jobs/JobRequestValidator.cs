using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;

namespace ExplainApi.Host.Jobs;

/// <summary>The outcome of checking a job request: a job ready to store, or errors by field, or an unsuitable dataset.</summary>
public sealed record ValidatedJob(JobRecord? Job, string? RequestHash, IReadOnlyDictionary<string, string[]> Errors, string? DatasetProblem);

/// <summary>
/// Checks a job request the same way for the API and the command line: known kind, valid model name,
/// resolvable dataset, trainer options (errors keyed "options.&lt;field&gt;"), a dataset the trainer can use.
/// </summary>
public sealed class JobRequestValidator(TrainerCatalog trainers, IDatasetResolver datasets)
{
    public ValidatedJob Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var trainer = request.Kind is null ? null : trainers.Find(request.Kind);
        if (trainer is null)
        {
            errors["kind"] = [$"Unknown kind '{Echo.Value(request.Kind)}'; known: {string.Join(", ", trainers.Kinds.Order(StringComparer.Ordinal))}."];
        }

        if (!ModelName.IsValid(request.Model))
        {
            errors["model"] = [ModelName.Rule];
        }

        IDataset? dataset = null;
        try
        {
            dataset = request.Dataset is null ? null : datasets.Resolve(request.Dataset);
            if (dataset is null)
            {
                errors["dataset"] = ["Name a dataset: synthetic:squares?n=2000&seed=1, or an uploaded dataset id."];
            }
        }
        catch (DatasetReferenceException exception)
        {
            errors["dataset"] = [Echo.Message(exception.Message)];
        }

        var options = trainer?.ValidateOptions(request.Options);
        foreach (var (field, message) in options?.Errors ?? new Dictionary<string, string>())
        {
            errors[$"options.{field}"] = [message];
        }

        if (errors.Count > 0)
        {
            return new ValidatedJob(null, null, errors, null);
        }

        if (trainer!.ValidateDataset(dataset!) is { } unsuitable)
        {
            return new ValidatedJob(null, null, errors, unsuitable);
        }

        var job = new JobRecord("job_" + Guid.CreateVersion7().ToString("N"), trainer.Kind, request.Dataset!, request.Model!,
            options!.Values, JobState.Queued, null, null, null, 0, default, null, null, default);
        return new ValidatedJob(job, RequestHash(job), errors, null);
    }

    /// <summary>The request's identity for idempotency: kind, dataset, model and the completed options.</summary>
    private static string RequestHash(JobRecord job) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        new JsonArray(job.Kind, job.Dataset, job.Model, job.Options.DeepClone()).ToJsonString())));
}
