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
    /// <summary>What the version does (null when its manifest cannot be read).</summary>
    public ModelTask? Task => Manifest?.Task;

    /// <summary>The routes that serve it: its task's, then the KServe ones every version has.</summary>
    public IReadOnlyList<string> Routes => Manifest is { } m ? ModelTaskRoutes.For(m.Task, m.Name) : [];

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

/// <summary>
/// KServe V2 model metadata of the primary graph; shapes have -1 for dynamic dimensions. Extensions: the version's
/// <paramref name="Task"/> and every graph by role (the infer route's <c>parameters.graph</c>) with its inputs and outputs.
/// </summary>
public sealed record KServeModelMetadata(
    string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<ModelTensorInfo> Inputs, IReadOnlyList<ModelTensorInfo> Outputs,
    ModelTask Task, IReadOnlyList<KServeGraphMetadata> Graphs)
{
    public const string OnnxPlatform = "onnxruntime_onnx";
}

/// <summary>One graph of a version: its role (e.g. <c>generator</c>), file, inputs and outputs.</summary>
public sealed record KServeGraphMetadata(string Role, string File, IReadOnlyList<ModelTensorInfo> Inputs, IReadOnlyList<ModelTensorInfo> Outputs);

/// <summary>KServe V2 model readiness (200 when ready; otherwise a 503 problem document).</summary>
public sealed record KServeModelReady(string Name, string Version, bool Ready);
