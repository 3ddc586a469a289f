using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Jobs;

/// <summary>POST /v1/jobs body.</summary>
public sealed record JobRequest(
    [property: Description("Job kind: a trainer (e.g. classifier), evaluate or difference-summary (GET /v1/jobs/kinds lists them).")] string? Kind,
    [property: Description("Dataset reference: synthetic:squares?n=2000&seed=1, or an uploaded dataset id; evaluate and difference-summary default to the model's own.")] string? Dataset,
    [property: Description("Trainers: the name to register the trained model under (each job adds a version); evaluate and difference-summary: the registered model to use.")] string? Model,
    [property: Description("The kind's options; unknown fields are rejected, missing ones take defaults.")] JsonObject? Options);

/// <summary>A job as the API shows it.</summary>
public sealed record JobView(
    string Id,
    string Kind,
    string Dataset,
    string Model,
    JsonObject Options,
    string State,
    JobProgress? Progress,
    ProblemDetails? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt,
    JobLinks Links)
{
    public static JobView From(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var self = $"/v1/jobs/{job.Id}";
        return new JobView(job.Id, job.Kind, job.Dataset, job.Model, job.Options, job.State, job.Progress, job.Error,
            job.Attempts, job.CreatedAt, job.StartedAt, job.FinishedAt, job.UpdatedAt,
            new JobLinks(self, self + "/events", self + "/curves.png",
                job.ModelVersion is { } v ? $"/v1/models/{job.Model}/versions/{v}" : null));
    }
}

public sealed record JobLinks(string Self, string Events, string Curves, string? Model);

public sealed record JobPage(IReadOnlyList<JobView> Items, int Page, int PageSize, int Total);

public sealed record TrainerKind(string Kind, string Description, JsonObject Defaults);
