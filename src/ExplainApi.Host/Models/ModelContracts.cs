using ExplainApi.Core.Models;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;

namespace ExplainApi.Host.Models;

/// <summary>
/// A registered model version and how it is served: loading, ready on a provider, or failed and why. The manifest
/// is null only for a version whose manifest cannot be read (failed, "manifest unreadable").
/// </summary>
public sealed record ModelVersionView(
    string Name, int Version, ModelSessionState State, ExecutionProviderReport? Provider, string? FailureReason, ModelManifest? Manifest)
{
    /// <summary>A version the cache has not picked up yet counts as loading: it is registered, so it will be.</summary>
    public static ModelVersionView From(ModelManifest manifest, ModelSessionCache cache)
    {
        var status = cache.StatusOf(manifest.Name, manifest.Version);
        return new(manifest.Name, manifest.Version, status?.State ?? ModelSessionState.Loading, status?.Provider, status?.FailureReason, manifest);
    }

    public static ModelVersionView Unreadable(UnreadableModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Name, version.Version, ModelSessionState.Failed, null, UnreadableModelVersion.Reason, null);
    }
}

/// <summary>Every version of every model, newest version first per name.</summary>
public sealed record ModelListView(IReadOnlyList<ModelVersionView> Models);

/// <summary>One model: its latest version and every version, newest first.</summary>
public sealed record ModelView(string Name, int LatestVersion, IReadOnlyList<ModelVersionView> Versions);

/// <summary>KServe V2 model metadata; shapes have -1 for dynamic dimensions.</summary>
public sealed record KServeModelMetadata(
    string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<ModelTensorInfo> Inputs, IReadOnlyList<ModelTensorInfo> Outputs)
{
    public const string OnnxPlatform = "onnxruntime_onnx";
}

/// <summary>KServe V2 model readiness (200 when ready; otherwise a 503 problem document).</summary>
public sealed record KServeModelReady(string Name, string Version, bool Ready);
