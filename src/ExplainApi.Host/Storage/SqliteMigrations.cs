using Microsoft.Data.Sqlite;

namespace ExplainApi.Host.Storage;

/// <summary>
/// Forward-only schema migrations. Each step runs in one transaction together with the version bump,
/// so a crash mid-migration leaves the previous version intact. A database newer than this build is
/// refused rather than risk writing a schema we do not understand.
/// </summary>
public static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        // 1: service metadata (creation time, last schema writer).
        """
        CREATE TABLE service_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        INSERT INTO service_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        """,

        // 2: training jobs and their event log (progress history for SSE resume and curves).
        """
        CREATE TABLE jobs (
            id              TEXT PRIMARY KEY NOT NULL,
            kind            TEXT NOT NULL,
            dataset         TEXT NOT NULL,
            model           TEXT NOT NULL,
            options         TEXT NOT NULL,
            state           TEXT NOT NULL,
            progress        TEXT,
            error           TEXT,
            model_version   INTEGER,
            idempotency_key TEXT UNIQUE,
            request_hash    TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            created_at      TEXT NOT NULL,
            started_at      TEXT,
            finished_at     TEXT,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX jobs_by_state ON jobs (state, created_at);
        CREATE TABLE job_events (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            seq    INTEGER NOT NULL,
            at     TEXT NOT NULL,
            type   TEXT NOT NULL,
            data   TEXT NOT NULL,
            PRIMARY KEY (job_id, seq)
        );
        """,
    ];

    public static int LatestVersion => Steps.Length;

    public static async Task<int> MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        var version = await ReadVersionAsync(connection, cancellationToken);
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this build's {LatestVersion}; use a newer ExplainApi.");
        }

        for (var next = version + 1; next <= LatestVersion; next++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Steps[next - 1] + $"\nPRAGMA user_version = {next};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return LatestVersion;
    }

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
