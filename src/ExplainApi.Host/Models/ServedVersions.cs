using ExplainApi.Core.Models;
using ExplainApi.Host.Explaining;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// The lookup every model route starts with, each step a problem rather than a throw: the version (404 model-not-found /
/// version-unknown), the task (409 model-task-mismatch when <c>route</c> does not serve it; known from the manifest, so it
/// is answered before the body is read and even while the version loads), then readiness (503 model-not-ready).
/// </summary>
public static class ServedVersions
{
    /// <param name="route">A <see cref="ModelTaskRoutes"/> route, or null for the KServe routes that serve every task.</param>
    public static (LoadedModel? Model, ProblemHttpResult? Problem) Resolve(string name, int? version, string? route, IModelRegistry registry, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        // Every model request starts here: when the version meant is loaded, still on disk and serves the route, that is the
        // answer, from one folder listing; the problems below need the views of every version.
        if ((version ?? registry.NewestVersion(name)) is { } wanted && cache.TryGet(name, wanted, out var loaded)
            && (route is null || ModelTaskRoutes.Mismatch(loaded.Manifest, route) is null) && registry.Find(name, wanted) is not null)
        {
            return (loaded, null);
        }

        var versions = ModelCatalog.Versions(registry, cache, name);
        if (versions.Count == 0)
        {
            return (null, ModelEndpoints.NotFound(name, null));
        }

        if (ModelCatalog.Pick(versions, version) is not { } view)
        {
            return (null, SaliencyProblems.VersionUnknown(name, version!.Value, versions.Select(v => v.Version)));
        }

        if (view.Manifest is { } manifest && route is not null && ModelTaskRoutes.Mismatch(manifest, route) is { } mismatch)
        {
            return (null, mismatch);
        }

        return view.Manifest is { } ready && cache.TryGet(ready.Name, ready.Version, out var model)
            ? (model, null)
            : (null, ModelEndpoints.NotReady(view));
    }
}
