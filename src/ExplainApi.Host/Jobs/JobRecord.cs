using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Jobs;

/// <summary>A job as stored. Options are the trainer's validated, completed options.</summary>
public sealed record JobRecord(
    string Id,
    string Kind,
    string Dataset,
    string Model,
    JsonObject Options,
    string State,
    JobProgress? Progress,
    ProblemDetails? Error,
    int? ModelVersion,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>A new job, queued, with a fresh time-ordered id (the store sets the times).</summary>
    public static JobRecord Queued(string kind, string dataset, string model, JsonObject options) =>
        new("job_" + Guid.CreateVersion7().ToString("N"), kind, dataset, model, options, JobState.Queued, null, null, null, 0, default, null, null, default);
}

/// <summary>The latest progress of a job, with an estimate of the time left.</summary>
public sealed record JobProgress(
    string Phase,
    int Epoch,
    int TotalEpochs,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Losses,
    IReadOnlyDictionary<string, double> Metrics,
    bool ResumedFromCheckpoint,
    double? EtaSeconds,
    DateTimeOffset UpdatedAt);

/// <summary>One entry of a job's event log: a state change or a progress report; Seq orders them.</summary>
public sealed record JobEvent(long Seq, DateTimeOffset At, string Type, string Data);
