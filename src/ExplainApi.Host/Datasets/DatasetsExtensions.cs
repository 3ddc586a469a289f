using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Brain;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Storage;
using ExplainApi.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Datasets;

public static class DatasetsExtensions
{
    /// <summary>Where uploaded datasets live: {ExplainApi:DataDirectory}/datasets/{id}/.</summary>
    public const string FolderName = "datasets";

    /// <summary>
    /// The dataset resolver (synthetic generators and uploaded ids), the uploaded-dataset store and the
    /// zip importer. Needs the image decoders (AddImaging). A generator joins with one more
    /// <c>AddSingleton&lt;ISyntheticGenerator, …&gt;</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatasetsOptions>()
            .Bind(builder.Configuration.GetSection(DatasetsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ISyntheticGenerator, SquaresGenerator>();
        builder.Services.AddSingleton<ISyntheticGenerator>(_ => new BrainAtrophyGenerator());
        builder.Services.AddSingleton<ISyntheticGenerator>(_ => new LesionsGenerator());
        builder.Services.AddSingleton(sp => new SyntheticGeneratorRegistry(sp.GetServices<ISyntheticGenerator>()));
        builder.Services.AddSingleton(sp =>
        {
            var root = Path.Combine(sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value.DataDirectoryFullPath, FolderName);
            var store = new UploadedDatasetStore(root,
                sp.GetRequiredService<IOptions<DatasetsOptions>>().Value.MaxTotalStoredBytes, sp.GetService<StorageReserve>());
            // Staging and deletion folders a crash left behind; an hour is far longer than any import.
            store.RemoveStaleWork(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
            return store;
        });
        builder.Services.AddSingleton(sp => new ZipDatasetImporter(
            sp.GetRequiredService<ImageReader>(),
            sp.GetRequiredService<ImageLimits>(),
            sp.GetRequiredService<IOptions<DatasetsOptions>>().Value.ToLimits(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<IStorageFiles>()));
        builder.Services.AddSingleton<IDatasetResolver, DatasetResolver>();
        return builder;
    }
}
