namespace ExplainApi.Host.Storage;

/// <summary>Creates the data folder and brings the schema up to date before the server accepts requests.</summary>
public sealed class StoreInitializer(SqliteStore store, ILogger<StoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(store.DatabasePath)!);
        await using var connection = await store.OpenAsync(cancellationToken);
        var version = await SqliteMigrations.MigrateAsync(connection, cancellationToken);
        logger.LogInformation("Store ready at {DatabasePath} with schema version {SchemaVersion}", store.DatabasePath, version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
