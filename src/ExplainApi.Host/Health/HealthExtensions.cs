namespace ExplainApi.Host.Health;

public static class HealthExtensions
{
    /// <summary>Service readiness: the store and free disk space here, the runtimes in AddPlatformRuntimes; never the models.</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection(HealthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [HealthEndpoints.ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<DiskSpaceHealthCheck>("disk", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
