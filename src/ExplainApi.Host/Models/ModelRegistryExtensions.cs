using ExplainApi.Core.Models;
using ExplainApi.Core.Storage;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Platform;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Models;

public static class ModelRegistryExtensions
{
    public const string ModelsFolder = "models";

    /// <summary>
    /// The registry in {data}/models, the session cache on the configured accelerator, the loader that keeps the
    /// cache in step with the registry. Models are not part of service readiness: each has its own (KServe
    /// /v2/models/{name}/ready), so one failed version never takes the healthy ones out of rotation. Also used by the `train` command, which
    /// never starts hosted services, so only the registry does anything there.
    /// </summary>
    public static IHostApplicationBuilder AddModelRegistry(this IHostApplicationBuilder builder)
    {
        builder.AddOnnxSessionFactory();
        var services = builder.Services;
        services.AddSingleton(sp => new FileModelRegistry(
            Path.Combine(sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value.DataDirectoryFullPath, ModelsFolder),
            sp.GetService<TimeProvider>(),
            sp.GetService<IStorageFiles>()));
        services.AddSingleton<IModelRegistry>(sp => sp.GetRequiredService<FileModelRegistry>());
        services.AddSingleton(sp =>
        {
            var accelerator = sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value.Accelerator;
            var preference = Enum.Parse<AcceleratorPreference>(accelerator, ignoreCase: true);
            var batching = sp.GetRequiredService<IOptions<BatchingOptions>>().Value;
            return new ModelSessionCache(sp.GetRequiredService<OnnxSessionFactory>(), preference) { Batching = key => batching.For(key.Name) };
        });
        services.AddOptions<BatchingOptions>().Bind(builder.Configuration.GetSection(BatchingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Jobs open served versions through the same cache: classifiers for evaluation, generators for difference summaries.
        services.AddSingleton<DifferenceMapModelSource>();
        services.AddOptions<ModelImportOptions>().Bind(builder.Configuration.GetSection(ModelImportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ModelLoader>();
        return builder;
    }
}
