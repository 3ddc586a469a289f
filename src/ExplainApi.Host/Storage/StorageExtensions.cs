using ExplainApi.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Storage;

public static class StorageExtensions
{
    public const string DatabaseFileName = "explainapi.db";

    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value;
            return new SqliteStore(Path.Combine(options.DataDirectoryFullPath, DatabaseFileName));
        });
        builder.Services.AddSingleton<StoreInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreInitializer>());
        return builder;
    }
}
