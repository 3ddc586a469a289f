using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// Opens a registered difference-map version for jobs (difference summary, evaluation) the way the difference-map route
/// sees it: its generators in the shared <see cref="ModelSessionCache"/> (the load the <see cref="ModelLoader"/> started,
/// or a new one with the same file check), one translator per direction. Each translation holds the version's lease, so
/// a deletion mid-job makes the next one throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class DifferenceMapModelSource(FileModelRegistry registry, ModelSessionCache cache)
{
    /// <summary>The translators by direction name (<c>a2b</c>, <c>b2a</c>).</summary>
    /// <exception cref="InvalidOperationException">The version is not a difference-map model or failed to load.</exception>
    public async Task<IReadOnlyDictionary<string, IImageTranslator>> OpenAsync(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Task != ModelTask.DifferenceMap)
        {
            throw new InvalidOperationException($"Model '{manifest.Name}' version {manifest.Version} is a {ModelTasks.Name(manifest.Task)} model, not a difference-map model.");
        }

        var folder = registry.VersionDirectory(manifest.Name, manifest.Version);
        var status = await cache.EnsureLoadedAsync(manifest, folder, () => ModelLoader.Distrust(registry, manifest));
        if (status.State != ModelSessionState.Ready || !cache.TryGet(manifest.Name, manifest.Version, out var model)
            || model.Adapter is not DifferenceMapAdapter adapter)
        {
            throw new InvalidOperationException(
                $"Model '{manifest.Name}' version {manifest.Version} could not be loaded: {status.FailureReason ?? "it was evicted while loading"}.");
        }

        return adapter.Translators;
    }

    /// <summary>The version <paramref name="name"/>/<paramref name="version"/> (latest when null) from the registry.</summary>
    /// <exception cref="InvalidOperationException">No such version, or it cannot be opened.</exception>
    public Task<IReadOnlyDictionary<string, IImageTranslator>> OpenAsync(string name, int? version = null)
    {
        var manifest = registry.Find(name, version)
            ?? throw new InvalidOperationException($"Model '{name}'{(version is null ? "" : $" version {version}")} is not registered.");
        return OpenAsync(manifest);
    }
}
