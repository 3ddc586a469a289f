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
/// The steps both saliency routes share, each answering a problem rather than throwing: find the version
/// (404 model-not-found / version-unknown, 409 for another task's model, 503 while loading, 422 when it cannot be
/// explained), pick methods and
/// target, and run under the model's lease (422 for NaN outputs, 503 when the version was unloaded meanwhile).
/// </summary>
public static class ExplainExecution
{
    public const int MaxImagesPerRequest = 16;

    /// <param name="route">The route asking (<see cref="ModelTaskRoutes.Saliency"/> or the KServe explain route): another task's model is 409.</param>
    public static (ServedModel? Served, ProblemHttpResult? Problem) Resolve(
        string name, int? version, IModelRegistry registry, ModelSessionCache cache, string route = ModelTaskRoutes.Saliency)
    {
        var (model, problem) = ServedVersions.Resolve(name, version, route, registry, cache);
        if (model is null)
        {
            return (null, problem);
        }

        return model.NotExplainableReason is { } reason
            ? (null, SaliencyProblems.NotExplainable(model.Manifest.Name, model.Manifest.Version, reason))
            : (new ServedModel(model.Manifest, model), null);
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

        var (chosen, problem) = Leased(served, cache, () => served.Model.Explain(m => MethodSelection.Select(methods, m)));
        return (chosen.Methods, index, problem ?? chosen.Problem);
    }

    /// <summary>What running <paramref name="methods"/> on <paramref name="images"/> images would cost, in pass-pixels (nothing is run).</summary>
    public static (long Cost, ProblemHttpResult? Problem) Cost(
        ServedModel served, int images, IReadOnlyList<ISaliencyMethod> methods, SaliencyOptions options, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(served);
        return Leased(served, cache, () => served.Model.Explain(m => ExplanationCost.Of(m, methods, options, images)));
    }

    public static (SaliencyRun? Run, ProblemHttpResult? Problem) Run(
        ServedModel served, IReadOnlyList<float[]> inputs, IReadOnlyList<ISaliencyMethod> methods, int? target, SaliencyOptions options, ModelSessionCache cache,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(served);
        try
        {
            // The shared model: concurrent requests' passes are batched together when the version has dynamic batching.
            return Leased(served, cache, () => served.Model.ExplainShared(m => SaliencyRunner.Run(m, inputs, methods, target, options, cancellation)));
        }
        catch (NonFiniteModelOutputException exception)
        {
            return (null, SaliencyProblems.NonFinite(exception.Message));
        }
    }

    private static (T Result, ProblemHttpResult? Problem) Leased<T>(ServedModel served, ModelSessionCache cache, Func<T> explain)
    {
        try
        {
            return (explain(), null);
        }
        catch (ObjectDisposedException)
        {
            // Deleted or replaced between lookup and use: the version is gone or loading again.
            return (default!, ModelEndpoints.NotReady(ModelVersionView.From(served.Manifest, cache)));
        }
    }
}
