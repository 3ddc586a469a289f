using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Segmentation;

/// <summary>The classifier whose CAM seeds a segmentation model was trained on, for <c>stages</c>, or why there is none.</summary>
public static class StageClassifier
{
    /// <summary>
    /// The linked version, loaded and explainable; 409 segmentation-stages-unavailable for a model trained on ground truth or
    /// a link to a version that is gone or not an explainable classifier; 503 model-not-ready while it loads.
    /// </summary>
    public static (LoadedModel? Model, ProblemHttpResult? Problem) Resolve(ModelManifest manifest, IModelRegistry registry, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        var model = $"Model '{manifest.Name}' version {manifest.Version}";
        if (manifest.Segmentation?.Classifier is not { } link)
        {
            return (null, Unavailable($"{model} was trained on {manifest.Segmentation?.Masks ?? "its own"} masks, not on a classifier's pseudo-masks: it has no linked classifier, so no stages."));
        }

        var which = $"its linked classifier '{link.Name}' version {link.Version}";
        if (registry.Find(link.Name, link.Version) is not { } linked)
        {
            return (null, Unavailable($"{model}: {which} is no longer registered."));
        }

        if (linked.Task != ModelTask.Classification)
        {
            return (null, Unavailable($"{model}: {which} is not a classifier."));
        }

        if (!cache.TryGet(linked.Name, linked.Version, out var loaded))
        {
            return (null, ModelEndpoints.NotReady(ModelVersionView.From(linked, cache)));
        }

        return loaded.NotExplainableReason is { } why ? (null, Unavailable($"{model}: {which} cannot make CAM seeds: {why}.")) : (loaded, null);
    }

    public static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(
        title: "Segmentation stages unavailable", statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.SegmentationStagesUnavailable, detail: detail);
}
