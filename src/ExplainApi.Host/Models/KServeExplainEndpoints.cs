using System.Globalization;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Auth;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.OpenApi;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Models;

/// <summary>
/// POST /v2/models/{name}[/versions/{version}]/explain: the saliency route through KServe V2-style JSON tensors, for
/// clients that already hold model input (normalised [N, C, H, W] floats) and want maps back as tensors. A difference-map
/// model answers its map and translation instead (<see cref="KServeDifferenceMapExplain"/>).
/// </summary>
public static class KServeExplainEndpoints
{
    /// <summary>A 1×1×2×2 input (a model of that size); real inputs have the model's C×H×W.</summary>
    private const string Example = """
        {"id":"req-1","inputs":[{"name":"input","shape":[1,1,2,2],"datatype":"FP32","data":[-1.0,-0.5,0.5,1.0]}],
         "parameters":{"method":["gradcam","rise"],"target":"abnormal","raw":false,"seed":0,"riseMasks":500}}
        """;

    internal static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/models/{name}").WithTags("Explanations").RequireAuthorization(Scopes.Infer)
            .WithMetadata(new RequestExampleMetadata(Example))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict) // model-task-mismatch: a task this route does not explain (names the route that serves it)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // includes explanation-too-costly
            .ProducesProblem(StatusCodes.Status429TooManyRequests) // rate-limited: requests, or explanation work per key
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout); // explanation-deadline-exceeded
        group.MapPost("/explain", Explain).WithName("KServeExplain")
            .WithSummary("Saliency maps of FP32 input tensors [N, C, H, W] (KServe V2 JSON) with the latest model version; parameters method, target, raw, seed, riseMasks, smoothGradSamples, integratedGradientsSteps, occlusionPatch. A difference-map model answers its map and translated tensors for parameters.direction.")
            .WithDescription(Description).Accepts<KServeExplainRequest>("application/json", KServeBinaryResponse.ContentType);
        group.MapPost("/versions/{version:int}/explain", ExplainVersion).WithName("KServeExplainVersion")
            .WithSummary("Saliency maps of FP32 input tensors with one model version.")
            .WithDescription(Description).Accepts<KServeExplainRequest>("application/json", KServeBinaryResponse.ContentType);
    }

    private const string Description =
        "The body is read as it arrives, up to 16 × C×H×W values of the model (24 bytes of JSON each, plus 64 KiB): larger is 413. " +
        "Binary tensor extension: send the JSON header (input with parameters.binary_data_size and no data), then the tensor as little-endian FP32, " +
        "with Inference-Header-Content-Length = the header's length. parameters.binary_data_output = true (or outputs[].parameters.binary_data) " +
        "answers application/octet-stream in the same form.";

    public static Task<Results<Ok<KServeExplainResponse>, Ok<KServeDifferenceMapResponse>, FileContentHttpResult, ProblemHttpResult>> Explain(
        string name, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, IOptions<JsonOptions> json) =>
        ExplainAsync(name, null, request, registry, cache, admitted, json.Value);

    public static Task<Results<Ok<KServeExplainResponse>, Ok<KServeDifferenceMapResponse>, FileContentHttpResult, ProblemHttpResult>> ExplainVersion(
        string name, int version, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, IOptions<JsonOptions> json) =>
        ExplainAsync(name, version, request, registry, cache, admitted, json.Value);

    private static async Task<Results<Ok<KServeExplainResponse>, Ok<KServeDifferenceMapResponse>, FileContentHttpResult, ProblemHttpResult>> ExplainAsync(
        string name, int? version, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, JsonOptions json)
    {
        var (model, problem) = ServedVersions.Resolve(name, version, ModelTaskRoutes.KServeExplain, registry, cache);
        if (model is null)
        {
            return problem!;
        }

        if (model.Adapter is DifferenceMapAdapter differenceMaps)
        {
            return await KServeDifferenceMapExplain.ExplainAsync(model, differenceMaps, request, cache, admitted, json);
        }

        if (model.NotExplainableReason is { } reason)
        {
            return SaliencyProblems.NotExplainable(model.Manifest.Name, model.Manifest.Version, reason);
        }

        var served = new ServedModel(model.Manifest, model);

        // The model is known before a byte of the body is read, so the body's limit is its input shape's.
        var (body, bodyProblem) = await KServeRequestReader.ReadAsync(request, served.Manifest.Input, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return bodyProblem!;
        }

        var parameters = KServeParameters.From(body.Parameters);
        if (parameters.Problem is not null)
        {
            return parameters.Problem;
        }

        var (methods, target, choiceProblem) = ExplainExecution.Choose(served, parameters.Methods, parameters.Target, cache);
        if (methods is null)
        {
            return choiceProblem!;
        }

        var options = parameters.Settings.ToOptions();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Validation above answers at once; only the compute waits for a slot (503 explain-busy when none is free).
        var (run, runProblem) = await admitted.RunAsync(request.HttpContext, served, body.Images, methods, target, options, cache);
        if (run is null)
        {
            return runProblem!;
        }

        var response = Response(served, body.Id, run, methods, parameters, clock.Elapsed.TotalMilliseconds);
        return body.Binary.Any
            ? KServeBinaryResponse.Create(request.HttpContext.Response, response, body.Binary, json.SerializerOptions)
            : TypedResults.Ok(response);
    }

    private static KServeExplainResponse Response(ServedModel served, string? id, SaliencyRun run, IReadOnlyList<ISaliencyMethod> methods, KServeParameters parameters, double total)
    {
        var manifest = served.Manifest;
        var (n, classes) = (run.Images.Count, manifest.ClassNames.Count);
        var (h, w) = (manifest.Input.Height, manifest.Input.Width);
        var outputs = new List<KServeOutputTensor>
        {
            new("probabilities", "FP32", [n, classes], [.. run.Images.SelectMany(i => i.Probabilities)]),
            new("target_class", "INT64", [n], [.. run.Images.Select(i => (double)i.TargetClass)]),
        };
        for (var m = 0; m < methods.Count; m++)
        {
            var index = m;
            outputs.Add(new(methods[m].Name, "FP32", [n, h, w], [.. run.Images.SelectMany(i => i.Maps[index].Map.Normalized.Select(v => (double)v))]));
            if (parameters.Raw)
            {
                outputs.Add(new(methods[m].Name + "_raw", "FP32", [n, h, w], [.. run.Images.SelectMany(i => i.Maps[index].Map.Raw.Select(v => (double)v))]));
            }
        }

        var spec = manifest.Input;
        var targetLayer = served.Model.TargetLayer;
        var manifests = run.Images.SelectMany(i => i.Maps).Select(t => new ExplanationManifest(ExplanationManifest.CurrentSchemaVersion, manifest.Name,
            manifest.Version, t.Map.Method, targetLayer, [spec.Channels, spec.Height, spec.Width], t.Map.TargetClass, manifest.ClassNames[t.Map.TargetClass],
            spec.Normalization.Kind, false, parameters.Seed)).ToList();
        return new KServeExplainResponse(manifest.Name, manifest.Version.ToString(CultureInfo.InvariantCulture), id, outputs,
            new KServeExplainParameters(manifests, new SaliencyTimings(run.ForwardMilliseconds, run.GradientMilliseconds, total)));
    }
}
