using ExplainApi.Core.Models;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Opens a registered model version for evaluation the way the saliency endpoints see it: its graphs in the
/// shared <see cref="ModelSessionCache"/> (the load the <see cref="ModelLoader"/> started, or a new one with the same file
/// check when it has not, as in the `evaluate` command), so the table scores what is served: a trained classifier with
/// its exported backward graph, or an imported model with whatever it supports.
/// </summary>
public sealed class ExplainableModelSource(FileModelRegistry registry, ModelSessionCache cache)
{
    /// <exception cref="InvalidOperationException">The version failed to load or its outputs cannot be explained.</exception>
    public async Task<LoadedModel> OpenAsync(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var model = await LoadAsync(manifest);
        return model.NotExplainableReason is { } reason
            ? throw new InvalidOperationException($"Model '{manifest.Name}' version {manifest.Version} cannot be explained: {reason}")
            : model;
    }

    /// <summary>The version as served, with its task adapter, whether or not it can be explained (e.g. a segmenter).</summary>
    /// <exception cref="InvalidOperationException">The version failed to load.</exception>
    public async Task<LoadedModel> LoadAsync(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var folder = registry.VersionDirectory(manifest.Name, manifest.Version);
        var status = await cache.EnsureLoadedAsync(manifest, folder, () => ModelLoader.Distrust(registry, manifest));
        if (status.State != ModelSessionState.Ready || !cache.TryGet(manifest.Name, manifest.Version, out var model))
        {
            throw new InvalidOperationException(
                $"Model '{manifest.Name}' version {manifest.Version} could not be loaded: {status.FailureReason ?? "it was evicted while loading"}.");
        }

        return model;
    }
}
