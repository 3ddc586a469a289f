using ExplainApi.Host.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Uploads;

public static class UploadsExtensions
{
    /// <summary>
    /// The server's spool sweeper, which clears crash leftovers at start and periodically (needs AddDatasets, and AddStorage for its options). Only the
    /// server registers it: a command-line job on the same data folder must not empty the spool of a running server.
    /// </summary>
    public static IHostApplicationBuilder AddUploadSpool(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMultipartReading();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SpoolSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpoolSweeper>());
        return builder;
    }

    /// <summary>The spool folder and the shared multipart reader, for every host that reads uploads.</summary>
    public static IServiceCollection AddMultipartReading(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SpoolFolder(sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value.DataDirectoryFullPath));
        services.TryAddSingleton<MultipartBodyReader>();
        return services;
    }
}
