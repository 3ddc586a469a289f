using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>The steps both difference-map routes share (the image route and the KServe explain route), each answering a problem rather than throwing.</summary>
public static class DifferenceMapExecution
{
    /// <summary>The translator of <paramref name="direction"/> (default a2b, else the model's first), or null when the model lacks it.</summary>
    public static IImageTranslator? Direction(DifferenceMapAdapter adapter, string? direction)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        return direction is null ? adapter.Translator("a2b") ?? adapter.Translators.Values.FirstOrDefault() : adapter.Translator(direction);
    }

    public static ProblemHttpResult UnknownDirection(ModelManifest manifest, string? direction)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var has = manifest.DifferenceMap!.Directions.Select(d => $"{d.Name} ({d.FromClass} → {d.ToClass})");
        return TypedResults.Problem(title: "Direction unknown", statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemTypes.DirectionUnknown,
            detail: $"Model '{manifest.Name}' has no direction '{Echo.Value(direction)}'; it has {string.Join(", ", has)}.",
            extensions: new Dictionary<string, object?> { ["directions"] = manifest.DifferenceMap.Directions.Select(d => d.Name).ToArray() });
    }

    /// <summary>
    /// One generator pass per image and two classifier forwards (original and translation), priced like an explanation and
    /// admitted through the same slots, so difference maps and saliency share the machine fairly.
    /// </summary>
    public static Task<(DifferenceMapRun? Result, ProblemHttpResult? Problem)> Run(HttpContext http, LoadedModel model, IImageTranslator translator,
        LinkedClassifier classifier, IReadOnlyList<float[]> inputs, AdmittedExplanation admitted, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(admitted);
        var passes = classifier.Logits is null ? 1 : 3;
        var cost = (long)inputs.Count * passes * translator.Height * translator.Width;
        return admitted.RunAsync<DifferenceMapRun>(http, model.Manifest.Name, cost, token =>
        {
            try
            {
                return (DifferenceMapRunner.Run(translator, inputs, classifier.Logits, classifier.ClassIndex(translator.Direction.ToClass), token), null);
            }
            catch (ObjectDisposedException)
            {
                // The model or its classifier was deleted or replaced meanwhile: name the one that went.
                var gone = classifier.Model is { } judge && !cache.TryGet(judge.Manifest.Name, judge.Manifest.Version, out _) ? judge.Manifest : model.Manifest;
                return (null, ModelEndpoints.NotReady(ModelVersionView.From(gone, cache)));
            }
        });
    }
}
