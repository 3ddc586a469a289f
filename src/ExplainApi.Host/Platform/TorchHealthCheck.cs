using ExplainApi.Core;
using ExplainApi.Torch;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExplainApi.Host.Platform;

/// <summary>
/// libtorch is needed for training only, so a failure to load it is Degraded (the service still serves
/// inference through ONNX Runtime), and the reason is reported rather than hidden.
/// </summary>
public sealed class TorchHealthCheck(TorchRuntimeProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (runtime, error) = probe.Result;
        return Task.FromResult(runtime is null
            ? HealthCheckResult.Degraded("libtorch unavailable, training disabled: " + ClientSafeText.WithoutPaths(error ?? "unknown reason"))
            : HealthCheckResult.Healthy("libtorch loaded.", new Dictionary<string, object>
            {
                ["device"] = runtime.Info.Device,
                ["libtorch"] = runtime.Info.LibTorchVersion,
                ["package"] = runtime.Info.NativePackage,
            }));
    }
}

/// <summary>Loads libtorch once, on first use, and remembers the outcome.</summary>
public sealed class TorchRuntimeProbe
{
    private readonly Lazy<(TorchRuntime? Runtime, string? Error)> _result = new(() =>
    {
        try
        {
            return (TorchRuntime.Initialize(), null);
        }
        catch (TorchRuntimeUnavailableException exception)
        {
            return (null, exception.Message);
        }
    });

    public (TorchRuntime? Runtime, string? Error) Result => _result.Value;
}
