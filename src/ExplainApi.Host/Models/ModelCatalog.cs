using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;

namespace ExplainApi.Host.Models;

/// <summary>
/// Every version folder as clients see it: readable ones with their serving state, damaged ones (manifest
/// unreadable) as failed, never hidden. The latest version is the highest number, readable or not, so an
/// unversioned request never silently falls back to an older version than the listing shows.
/// </summary>
public static class ModelCatalog
{
    /// <summary>Versions of every model (or of <paramref name="name"/>), by name, newest version first.</summary>
    public static List<ModelVersionView> Versions(IModelRegistry registry, ModelSessionCache cache, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var readable = registry.List(name).Select(m => ModelVersionView.From(m, cache));
        var unreadable = registry.Unreadable(name).Select(ModelVersionView.Unreadable);
        return [.. readable.Concat(unreadable).OrderBy(v => v.Name, StringComparer.Ordinal).ThenByDescending(v => v.Version)];
    }

    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when the model or version does not exist.</summary>
    public static ModelVersionView? Find(string name, int? version, IModelRegistry registry, ModelSessionCache cache) =>
        Pick(Versions(registry, cache, name), version);

    /// <summary>From one model's versions (newest first): the given one, or the latest when null.</summary>
    public static ModelVersionView? Pick(List<ModelVersionView> versions, int? version)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return version is null ? versions.FirstOrDefault() : versions.Find(v => v.Version == version);
    }
}
