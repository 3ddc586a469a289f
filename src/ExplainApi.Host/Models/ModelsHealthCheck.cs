using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExplainApi.Host.Models;

/// <summary>
/// Readiness: every registered model version is loaded and warmed. Unhealthy while any is loading or failed,
/// naming them; the data has each version's state and execution provider. Cached sessions of versions no
/// longer registered do not count.
/// </summary>
public sealed class ModelsHealthCheck(IModelRegistry registry, ModelSessionCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var views = registry.List().Select(m => ModelVersionView.From(m, cache)).ToList();
        var data = views.ToDictionary(
            v => $"{v.Name}/{v.Version}",
            v => (object)new ModelReadiness(v.State, v.Provider?.Provider, v.FailureReason));
        var notReady = views.Where(v => v.State != ModelSessionState.Ready)
            .Select(v => v.State == ModelSessionState.Failed ? $"{v.Name} version {v.Version} failed ({v.FailureReason})" : $"{v.Name} version {v.Version} is loading")
            .ToList();
        var result = notReady.Count == 0
            ? HealthCheckResult.Healthy(views.Count == 0 ? "No models registered." : $"{views.Count} model version(s) ready.", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", notReady), data: data);
        return Task.FromResult(result);
    }
}

/// <summary>One model version in the readiness data.</summary>
public sealed record ModelReadiness(ModelSessionState State, string? Provider, string? FailureReason);
