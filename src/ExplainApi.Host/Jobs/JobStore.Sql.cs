using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace ExplainApi.Host.Jobs;

/// <summary>Row mapping and small ADO helpers for <see cref="JobStore"/>.</summary>
public sealed partial class JobStore
{
    private const string Columns =
        "id, kind, dataset, model, options, state, progress, error, model_version, attempts, created_at, started_at, finished_at, updated_at";

    private static JobRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        JsonNode.Parse(r.GetString(4))!.AsObject(),
        r.GetString(5),
        r.IsDBNull(6) ? null : JsonSerializer.Deserialize<JobProgress>(r.GetString(6), Json),
        r.IsDBNull(7) ? null : JsonSerializer.Deserialize<ProblemDetails>(r.GetString(7), Json),
        r.IsDBNull(8) ? null : r.GetInt32(8),
        r.GetInt32(9),
        Time(r, 10)!.Value, Time(r, 11), Time(r, 12), Time(r, 13)!.Value);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static Task<JobRecord?> QuerySingleAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string where, (string Name, object? Value) parameter, CancellationToken cancellationToken) =>
        QuerySingleAsync(connection, transaction, where, [parameter], cancellationToken);

    private static async Task<JobRecord?> QuerySingleAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string where, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {Columns} FROM jobs WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private async Task AppendEventAsync(SqliteConnection connection, SqliteTransaction transaction, string jobId, string type, string data,
        CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, """
            INSERT INTO job_events (job_id, seq, at, type, data)
            VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = $id), $now, $type, $data)
            """, cancellationToken, ("$id", jobId), ("$now", Now()), ("$type", type), ("$data", data));
}
