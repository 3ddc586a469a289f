using ExplainApi.Core.Models;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>The classifier that judges a difference-map model's translations, ready to run, or why it is not used.</summary>
public sealed record LinkedClassifier(LoadedModel? Model, LinkedClassifierView? View)
{
    /// <summary>
    /// The linked version when it is a ready classifier of the same input; 503 model-not-ready while it loads (as for the
    /// model itself). A link to a deleted version, another task or another input shape is answered without probabilities.
    /// </summary>
    public static (LinkedClassifier? Classifier, ProblemHttpResult? Problem) Resolve(ModelManifest manifest, IModelRegistry registry, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(registry);
        if (manifest.DifferenceMap?.Classifier is not { } link)
        {
            return (new LinkedClassifier(null, null), null);
        }

        LinkedClassifier Unused(string reason) => new(null, new LinkedClassifierView(link.Name, link.Version, false, reason));
        if (registry.Find(link.Name, link.Version) is not { } linked)
        {
            return (Unused($"model '{link.Name}' version {link.Version} is no longer registered"), null);
        }

        var (a, b) = (linked.Input, manifest.Input);
        if (linked.Task != ModelTask.Classification || (a.Channels, a.Height, a.Width) != (b.Channels, b.Height, b.Width))
        {
            return (Unused($"model '{link.Name}' version {link.Version} is not a classifier of this model's input"), null);
        }

        if (!cache.TryGet(linked.Name, linked.Version, out var model))
        {
            return (null, ModelEndpoints.NotReady(ModelVersionView.From(linked, cache)));
        }

        return model.NotExplainableReason is { } why
            ? (Unused($"model '{link.Name}' version {link.Version} cannot be run as a classifier: {why}"), null)
            : (new LinkedClassifier(model, new LinkedClassifierView(link.Name, link.Version, true, null)), null);
    }

    /// <summary>Logits of a batch through the classifier's forward graph, under its lease; null without a usable classifier.</summary>
    public Func<float[], int, float[]>? Logits => Model is { } model ? (images, count) => model.Explain(m => m.Forward(images, count).Logits) : null;

    /// <summary>The index of <paramref name="className"/> among the classifier's classes, −1 when it has none.</summary>
    public int ClassIndex(string className) => Model is { } model ? IndexOf(model.Manifest.ClassNames, className) : -1;

    public IReadOnlyList<string> ClassNames => Model?.Manifest.ClassNames ?? [];

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
