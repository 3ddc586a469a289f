using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// The outcome of checking a job request: a job ready to store (with its idempotency hash), or why not: errors by field
/// (400), a model that does not exist (404), a dataset the kind cannot use or a linked model it cannot use (422).
/// </summary>
public sealed record ValidatedJob(JobRecord? Job, string? RequestHash, IReadOnlyDictionary<string, string[]> Errors, string? DatasetProblem,
    bool ModelMissing = false, string? LinkProblem = null)
{
    public static ValidatedJob Of(JobRecord job) => new(job, RequestHashOf(job), new Dictionary<string, string[]>(), null);

    public static ValidatedJob Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, null, errors, null);

    public static ValidatedJob Missing { get; } = new(null, null, new Dictionary<string, string[]>(), null, ModelMissing: true);

    /// <summary>One line for the command line and logs.</summary>
    public string Describe() => ModelMissing ? "The model is not registered."
        : DatasetProblem ?? LinkProblem ?? (Errors.Count > 0 ? string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : "The job request is invalid.");

    /// <summary>The request's identity for idempotency: kind, dataset, model and the completed options.</summary>
    private static string RequestHashOf(JobRecord job) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        new JsonArray(job.Kind, job.Dataset, job.Model, job.Options.DeepClone()).ToJsonString())));
}

/// <summary>
/// Checks a job request the same way for the API and the command line: a known kind (else the error lists the kinds),
/// then whatever that kind's <see cref="IJobHandler.Validate"/> checks.
/// </summary>
public sealed class JobRequestValidator(JobHandlers handlers)
{
    public ValidatedJob Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is not null && handlers.Find(request.Kind) is { } handler)
        {
            return handler.Validate(request);
        }

        var errors = new Dictionary<string, string[]>
        {
            ["kind"] = [$"Unknown kind '{Echo.Value(request.Kind)}'; known: {string.Join(", ", handlers.Kinds)}."],
        };
        if (!ModelName.IsValid(request.Model))
        {
            errors["model"] = [ModelName.Rule];
        }

        return ValidatedJob.Invalid(errors);
    }
}
