using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining;

/// <summary>A served model version ready to explain: its manifest and session.</summary>
public sealed record ServedModel(ModelManifest Manifest, LoadedModel Model);

/// <summary>
/// The steps both explanation routes share, each answering a problem rather than throwing: find the version
/// (404 model-not-found / version-unknown, 503 while loading, 422 when it cannot be explained), pick methods and
/// target, and run under the model's lease (422 for NaN outputs, 503 when the version was unloaded meanwhile).
/// </summary>
public static class ExplainExecution
{
    public const int MaxImagesPerRequest = 16;

    public static (ServedModel? Served, ProblemHttpResult? Problem) Resolve(string name, int? version, IModelRegistry registry, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        var versions = ModelCatalog.Versions(registry, cache, name);
        if (versions.Count == 0)
        {
            return (null, ModelEndpoints.NotFound(name, null));
        }

        if (ModelCatalog.Pick(versions, version) is not { } view)
        {
            return (null, SaliencyProblems.VersionUnknown(name, version!.Value, versions.Select(v => v.Version)));
        }

        if (view.Manifest is not { } manifest || !cache.TryGet(manifest.Name, manifest.Version, out var model))
        {
            return (null, ModelEndpoints.NotReady(view));
        }

        return model.NotExplainableReason is { } reason
            ? (null, SaliencyProblems.NotExplainable(manifest.Name, manifest.Version, reason))
            : (new ServedModel(manifest, model), null);
    }

    public static (IReadOnlyList<ISaliencyMethod>? Methods, int? Target, ProblemHttpResult? Problem) Choose(
        ServedModel served, IEnumerable<string?>? methods, string? target, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(served);
        var (index, targetProblem) = MethodSelection.Target(target, served.Manifest.ClassNames);
        if (targetProblem is not null)
        {
            return (null, null, targetProblem);
        }

        var (chosen, problem) = Leased(served, cache, m => MethodSelection.Select(methods, m));
        return (chosen.Methods, index, problem ?? chosen.Problem);
    }

    /// <summary>What running <paramref name="methods"/> on <paramref name="images"/> images would cost, in pass-pixels (nothing is run).</summary>
    public static (long Cost, ProblemHttpResult? Problem) Cost(
        ServedModel served, int images, IReadOnlyList<ISaliencyMethod> methods, SaliencyOptions options, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(served);
        return Leased(served, cache, m => ExplanationCost.Of(m, methods, options, images));
    }

    public static (SaliencyRun? Run, ProblemHttpResult? Problem) Run(
        ServedModel served, IReadOnlyList<float[]> inputs, IReadOnlyList<ISaliencyMethod> methods, int? target, SaliencyOptions options, ModelSessionCache cache,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(served);
        try
        {
            return Leased(served, cache, m => SaliencyRunner.Run(m, inputs, methods, target, options, cancellation));
        }
        catch (NonFiniteModelOutputException exception)
        {
            return (null, SaliencyProblems.NonFinite(exception.Message));
        }
    }

    private static (T Result, ProblemHttpResult? Problem) Leased<T>(ServedModel served, ModelSessionCache cache, Func<Onnx.Explaining.OnnxExplainableModel, T> action)
    {
        try
        {
            return (served.Model.Explain(action), null);
        }
        catch (ObjectDisposedException)
        {
            // Deleted or replaced between lookup and use: the version is gone or loading again.
            return (default!, ModelEndpoints.NotReady(ModelVersionView.From(served.Manifest, cache)));
        }
    }
}
