namespace ExplainApi.Host.Auth;

/// <summary>
/// Builds the key registry at start rather than on the first request, so a bad key configuration stops
/// the service at once and the bootstrap key file exists as soon as the service listens.
/// </summary>
public sealed class ApiKeyRegistryLoader(ApiKeyRegistry registry, ILogger<ApiKeyRegistryLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("{ApiKeyCount} API keys loaded", registry.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
