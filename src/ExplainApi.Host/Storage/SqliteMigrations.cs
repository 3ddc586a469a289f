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
