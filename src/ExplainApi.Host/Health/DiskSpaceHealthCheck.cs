using ExplainApi.Core;
using ExplainApi.Core.Storage;
using ExplainApi.Host.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Health;

/// <summary>Readiness: the data folder's file system has at least the configured free bytes (no path in the answer).</summary>
public sealed class DiskSpaceHealthCheck(IOptions<ExplainApiOptions> options, IOptions<HealthOptions> health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var minimum = health.Value.MinFreeDiskBytes;
        try
        {
            var available = DiskSpace.Available(options.Value.DataDirectoryFullPath);
            var data = new Dictionary<string, object> { ["availableBytes"] = available, ["minFreeBytes"] = minimum };
            return Task.FromResult(available >= minimum
                ? HealthCheckResult.Healthy("Enough free disk space for the data folder.", data)
                : HealthCheckResult.Unhealthy($"The data folder's disk has {available} bytes free, below the minimum of {minimum}.", data: data));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The data folder's free disk space cannot be read: " + ClientSafeText.WithoutPaths(exception.Message)));
        }
    }
}
