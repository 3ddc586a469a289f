using ExplainApi.Core;
using ExplainApi.Onnx;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExplainApi.Host.Platform;

/// <summary>Readiness reports which execution provider sessions get (CUDA, or CPU and why).</summary>
public sealed class OnnxRuntimeHealthCheck(OnnxRuntimeInfo info) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["version"] = info.Version,
            ["provider"] = info.DefaultProvider.Provider,
            ["requested"] = info.DefaultProvider.Requested.ToString().ToLowerInvariant(),
        };
        if (info.DefaultProvider.FallbackReason is { } reason)
        {
            data["fallbackReason"] = ClientSafeText.WithoutPaths(reason); // native loader messages name library paths
        }

        return Task.FromResult(HealthCheckResult.Healthy("ONNX Runtime loaded.", data));
    }
}
