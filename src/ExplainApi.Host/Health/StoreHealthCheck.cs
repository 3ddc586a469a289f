using ExplainApi.Core;
using ExplainApi.Host.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExplainApi.Host.Health;

/// <summary>Readiness: the store answers a query within the probe's time.</summary>
public sealed class StoreHealthCheck(SqliteStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await store.PingAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["engine"] = "sqlite", ["schemaVersion"] = version };
            return version == SqliteMigrations.LatestVersion
                ? HealthCheckResult.Healthy("SQLite store reachable.", data)
                : HealthCheckResult.Unhealthy($"Schema version {version}; expected {SqliteMigrations.LatestVersion}.", data: data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Readiness is anonymous: the reason stays, the database's path does not.
            return HealthCheckResult.Unhealthy("SQLite store unreachable: " + ClientSafeText.WithoutPaths(exception.Message));
        }
    }
}
