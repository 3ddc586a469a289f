using ExplainApi.Host.Configuration;
using ExplainApi.Host.Health;
using ExplainApi.Onnx;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Platform;

public static class PlatformExtensions
{
    /// <summary>
    /// ONNX Runtime (serving) and libtorch (training), each probed once. The provider ONNX Runtime gives
    /// is logged at start and reported by readiness and /v1/platform.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformRuntimes(this IHostApplicationBuilder builder)
    {
        builder.AddOnnxSessionFactory();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ExplainApiOptions>>().Value;
            var preference = Enum.Parse<AcceleratorPreference>(options.Accelerator, ignoreCase: true);
            return sp.GetRequiredService<OnnxSessionFactory>().DescribeRuntime(preference);
        });
        builder.Services.AddSingleton<TorchRuntimeProbe>();
        builder.Services.AddHostedService<RuntimeStartupReporter>();
        builder.Services.AddOptions<MemoryReliefOptions>().Bind(builder.Configuration.GetSection(MemoryReliefOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<MemoryRelief>();
        builder.Services.AddHealthChecks()
            .AddCheck<OnnxRuntimeHealthCheck>("onnxruntime", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<TorchHealthCheck>("libtorch", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
