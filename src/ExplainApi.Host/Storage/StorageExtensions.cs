using ExplainApi.Core.Storage;
using ExplainApi.Host.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Dataset and model imports claim their size from the data volume's free space; tests swap the file seam for a full disk.
        builder.Services.TryAddSingleton<IStorageFiles>(DiskFiles.Instance);
        builder.Services.AddSingleton(sp => new StorageReserve(
            sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value.DataDirectoryFullPath,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.MinFreeBytes));
        builder.Services.AddSingleton<StoreInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreInitializer>());
        return builder;
    }
}
