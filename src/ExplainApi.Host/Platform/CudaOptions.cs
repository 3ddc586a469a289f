using System.ComponentModel.DataAnnotations;
using ExplainApi.Onnx;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Platform;

/// <summary>The "ExplainApi:Cuda" section: ONNX Runtime's CUDA execution provider (used when Accelerator is auto or cuda).</summary>
public sealed class CudaOptions
{
    public const string Section = "ExplainApi:Cuda";

    /// <summary>The GPU ordinal sessions run on.</summary>
    [Range(0, 255)]
    public int DeviceId { get; set; }

    /// <summary>NextPowerOfTwo (ORT's default) or SameAsRequested (less memory when batch sizes vary).</summary>
    [RegularExpression("^(?i:NextPowerOfTwo|SameAsRequested)$")]
    public string ArenaExtendStrategy { get; set; } = "NextPowerOfTwo";

    /// <summary>Cap on each session's device arena in bytes; 0 = no cap (ORT's default).</summary>
    [Range(0, long.MaxValue)]
    public long MemoryLimitBytes { get; set; }

    /// <summary>Exhaustive (ORT's default, slow first call per shape), Heuristic or Default.</summary>
    [RegularExpression("^(?i:Exhaustive|Heuristic|Default)$")]
    public string CudnnConvAlgoSearch { get; set; } = "Exhaustive";

    public CudaProviderSettings ToSettings() => new(DeviceId, ArenaExtendStrategy, MemoryLimitBytes, CudnnConvAlgoSearch);
}

public static class OnnxSessionFactoryExtensions
{
    /// <summary>
    /// The one ONNX Runtime session factory, with the validated CUDA options and thread plan. Both the server (AddPlatformRuntimes) and
    /// the foreground job commands (AddModelRegistry alone) need it; the first call registers it.
    /// </summary>
    public static IHostApplicationBuilder AddOnnxSessionFactory(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(OnnxSessionFactory)))
        {
            return builder;
        }

        builder.Services.AddOptions<CudaOptions>().Bind(builder.Configuration.GetSection(CudaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OnnxThreadOptions>().Bind(builder.Configuration.GetSection(OnnxThreadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new OnnxSessionFactory(
            sp.GetRequiredService<IOptions<CudaOptions>>().Value.ToSettings(), sp.GetRequiredService<IOptions<OnnxThreadOptions>>().Value.ToPlan()));
        return builder;
    }
}
