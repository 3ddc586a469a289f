using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// The KServe explain answer of a difference-map model: <c>map</c> (translated − input) and <c>translated</c>, both FP32
/// [N, C, H, W] in the model's input space, for the direction of <c>parameters.direction</c> (default a2b).
/// </summary>
public sealed record KServeDifferenceMapResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<KServeOutputTensor> Outputs,
    KServeDifferenceMapParameters Parameters);

/// <summary>The direction translated and how the map is displayed (<see cref="DifferenceMapDisplay"/>).</summary>
public sealed record KServeDifferenceMapParameters(DifferenceDirection Direction, int DisplaySign, string Display, double TranslateMilliseconds);

/// <summary>POST /v2/models/{name}/explain for a difference-map model (the route's classifier answer is in <see cref="KServeExplainEndpoints"/>).</summary>
internal static class KServeDifferenceMapExplain
{
    public static async Task<Results<Ok<KServeExplainResponse>, Ok<KServeDifferenceMapResponse>, FileContentHttpResult, ProblemHttpResult>> ExplainAsync(
        LoadedModel model, DifferenceMapAdapter adapter, HttpRequest request, ModelSessionCache cache, AdmittedExplanation admitted, JsonOptions json)
    {
        var manifest = model.Manifest;
        var (body, bodyProblem) = await KServeRequestReader.ReadAsync(request, manifest.Input, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return bodyProblem!;
        }

        string? direction = null;
        if (body.Parameters?.TryGetValue("direction", out var named) == true)
        {
            if (named.ValueKind != JsonValueKind.String)
            {
                return ImageUploadReader.Invalid("parameters.direction must be a string (a direction of the model, e.g. a2b).");
            }

            direction = named.GetString();
        }

        if (DifferenceMapExecution.Direction(adapter, direction) is not { } translator)
        {
            return DifferenceMapExecution.UnknownDirection(manifest, direction);
        }

        var (run, runProblem) = await DifferenceMapExecution.Run(request.HttpContext, model, translator, new LinkedClassifier(null, null), body.Images, admitted, cache);
        if (run is null)
        {
            return runProblem!;
        }

        var spec = manifest.Input;
        long[] shape = [run.Items.Count, spec.Channels, spec.Height, spec.Width];
        List<KServeOutputTensor> outputs =
        [
            new("map", "FP32", shape, [.. run.Items.SelectMany(i => i.Map).Select(v => (double)v)]),
            new("translated", "FP32", shape, [.. run.Items.SelectMany(i => i.Translated).Select(v => (double)v)]),
        ];
        var sign = DifferenceMapDisplay.Sign(manifest.DifferenceMap!.Method);
        var parameters = new KServeDifferenceMapParameters(translator.Direction, sign, DifferenceMapDisplay.Describe(sign), run.TranslateMilliseconds);
        var version = manifest.Version.ToString(CultureInfo.InvariantCulture);
        return body.Binary.Any
            ? KServeBinaryResponse.Create(request.HttpContext.Response, manifest.Name, version, body.Id, outputs, parameters, body.Binary, json.SerializerOptions)
            : TypedResults.Ok(new KServeDifferenceMapResponse(manifest.Name, version, body.Id, outputs, parameters));
    }
}
