using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Host.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace ExplainApi.Host.Jobs;

/// <summary>What <see cref="JobStore.CreateAsync"/> did with a request.</summary>
public enum JobCreateOutcome
{
    Created,

    /// <summary>The idempotency key was seen before with the same request: the earlier job is returned.</summary>
    Replayed,

    /// <summary>The idempotency key was seen before with another request.</summary>
    KeyConflict,

    QueueFull,
}

/// <summary>
/// Jobs and their event log in SQLite. A job is committed here before the API acknowledges it; the
/// in-memory wake-up signal only saves the runner a poll. State changes are conditional updates
/// (compare-and-set on the state column), so the API and the runner never overwrite each other.
/// </summary>
public sealed partial class JobStore(SqliteStore store, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(JobCreateOutcome Outcome, JobRecord? Job)> CreateAsync(
        JobRecord job, string? idempotencyKey, string requestHash, int maxQueued, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        if (idempotencyKey is not null)
        {
            var existing = await QuerySingleAsync(connection, transaction, "idempotency_key = $key", ("$key", idempotencyKey), cancellationToken);
            if (existing is not null)
            {
                var hash = await ScalarAsync(connection, transaction, "SELECT request_hash FROM jobs WHERE id = $id", cancellationToken, ("$id", existing.Id));
                return ((string?)hash == requestHash ? JobCreateOutcome.Replayed : JobCreateOutcome.KeyConflict, existing);
            }
        }

        var queued = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'", cancellationToken), CultureInfo.InvariantCulture);
        if (queued >= maxQueued)
        {
            return (JobCreateOutcome.QueueFull, null);
        }

        await ExecuteAsync(connection, transaction, """
            INSERT INTO jobs (id, kind, dataset, model, options, state, idempotency_key, request_hash, created_at, updated_at)
            VALUES ($id, $kind, $dataset, $model, $options, 'queued', $key, $hash, $now, $now)
            """, cancellationToken,
            ("$id", job.Id), ("$kind", job.Kind), ("$dataset", job.Dataset), ("$model", job.Model),
            ("$options", job.Options.ToJsonString()), ("$key", idempotencyKey), ("$hash", requestHash), ("$now", Now()));
        await AppendEventAsync(connection, transaction, job.Id, "state", StateEvent(JobState.Queued, null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (JobCreateOutcome.Created, await GetAsync(job.Id, cancellationToken));
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await QuerySingleAsync(connection, null, "id = $id", ("$id", id), cancellationToken);
    }

    /// <summary>The oldest job of <paramref name="kind"/> for <paramref name="model"/> that is queued, running or cancelling, or null.</summary>
    public async Task<JobRecord?> FindActiveAsync(string model, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await QuerySingleAsync(connection, null,
            "model = $model AND kind = $kind AND state IN ('queued', 'running', 'cancelling') ORDER BY created_at, id LIMIT 1",
            [("$model", model), ("$kind", kind)], cancellationToken);
    }

    public async Task<(IReadOnlyList<JobRecord> Items, int Total)> ListAsync(string? state, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var where = state is null ? "1 = 1" : "state = $state";
        var total = Convert.ToInt32(await ScalarAsync(connection, null, $"SELECT COUNT(*) FROM jobs WHERE {where}", cancellationToken, ("$state", state)), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM jobs WHERE {where} ORDER BY created_at DESC, id LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", pageSize);
        command.Parameters.AddWithValue("$offset", (long)(page - 1) * pageSize);
        var items = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return (items, total);
    }

    /// <summary>
    /// Takes the oldest queued job (or the queued job <paramref name="jobId"/>, for the command line)
    /// and marks it running; null when there is none.
    /// </summary>
    public async Task<JobRecord?> ClaimNextAsync(CancellationToken cancellationToken, string? jobId = null)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var id = (string?)await ScalarAsync(connection, transaction,
            "SELECT id FROM jobs WHERE state = 'queued' AND ($id IS NULL OR id = $id) ORDER BY created_at, id LIMIT 1", cancellationToken, ("$id", jobId));
        if (id is null)
        {
            return null;
        }

        await ExecuteAsync(connection, transaction, """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, $now), updated_at = $now
            WHERE id = $id AND state = 'queued'
            """, cancellationToken, ("$id", id), ("$now", Now()));
        await AppendEventAsync(connection, transaction, id, "state", StateEvent(JobState.Running, null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await QuerySingleAsync(connection, null, "id = $id", ("$id", id), cancellationToken);
    }

    public async Task SaveProgressAsync(string id, JobProgress progress, bool appendEvent, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var json = JsonSerializer.Serialize(progress, Json);
        await ExecuteAsync(connection, transaction, "UPDATE jobs SET progress = $progress, updated_at = $now WHERE id = $id",
            cancellationToken, ("$id", id), ("$progress", json), ("$now", Now()));
        if (appendEvent)
        {
            await AppendEventAsync(connection, transaction, id, "progress", json, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Moves a job from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in none of them.</summary>
    public async Task<bool> TransitionAsync(string id, IReadOnlyCollection<string> from, string to, ProblemDetails? error = null,
        int? modelVersion = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var states = string.Join(", ", from.Select((_, i) => $"$from{i}"));
        var parameters = new List<(string, object?)>
        {
            ("$id", id), ("$to", to), ("$now", Now()),
            ("$error", error is null ? null : JsonSerializer.Serialize(error, Json)), ("$version", modelVersion),
            ("$finished", JobState.IsTerminal(to) ? Now() : null),
        };
        parameters.AddRange(from.Select((state, i) => ($"$from{i}", (object?)state)));
        var changed = await ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET state = $to, updated_at = $now, error = COALESCE($error, error),
                model_version = COALESCE($version, model_version), finished_at = COALESCE($finished, finished_at)
            WHERE id = $id AND state IN ({states})
            """, cancellationToken, [.. parameters]);
        if (changed == 1)
        {
            await AppendEventAsync(connection, transaction, id, "state", StateEvent(to, error), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    /// <summary>After a crash: running jobs go back to the queue (they resume from their checkpoints), cancelling ones end cancelled.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var recovered = 0;
        var (running, _) = await ListAsync(JobState.Running, 1, 10_000, cancellationToken);
        foreach (var job in running)
        {
            recovered += await TransitionAsync(job.Id, [JobState.Running], JobState.Queued, cancellationToken: cancellationToken) ? 1 : 0;
        }

        var (cancelling, _) = await ListAsync(JobState.Cancelling, 1, 10_000, cancellationToken);
        foreach (var job in cancelling)
        {
            await TransitionAsync(job.Id, [JobState.Cancelling], JobState.Cancelled, cancellationToken: cancellationToken);
        }

        return recovered;
    }

    public async Task<IReadOnlyList<JobEvent>> EventsAfterAsync(string id, long afterSeq, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, type, data FROM job_events WHERE job_id = $id AND seq > $after ORDER BY seq LIMIT 1000";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$after", afterSeq);
        var events = new List<JobEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEvent(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2), reader.GetString(3)));
        }

        return events;
    }

    private static string StateEvent(string state, ProblemDetails? error) =>
        JsonSerializer.Serialize(new { state, error }, Json);

    private string Now() => clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
