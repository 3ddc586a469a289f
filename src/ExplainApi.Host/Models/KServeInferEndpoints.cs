using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExplainApi.Core.Models;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.OpenApi;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Models;

/// <summary>A KServe V2 inference answer: the graph's outputs (FP32, integer outputs with their own datatype) and the graph that ran.</summary>
public sealed record KServeInferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<KServeOutputTensor> Outputs,
    KServeInferParameters Parameters);

/// <summary>The role of the graph that ran (the primary one unless <c>parameters.graph</c> named another).</summary>
public sealed record KServeInferParameters(string Graph);

/// <summary>
/// POST /v2/models/{name}[/versions/{version}]/infer: the KServe V2 (Open Inference Protocol) inference route for every
/// task. One FP32 input tensor [N, C, H, W] named as the graph's input, in JSON or the binary tensor extension (read by
/// <see cref="KServeRequestReader"/>, the explain route's reader); the graph's named outputs back, filtered by
/// <c>outputs</c>. A version with several graphs runs the one <c>parameters.graph</c> names (a role), default the primary.
/// </summary>
public static class KServeInferEndpoints
{
    private const string Example = """
        {"id":"req-1","inputs":[{"name":"input","shape":[1,1,2,2],"datatype":"FP32","data":[-1.0,-0.5,0.5,1.0]}],
         "outputs":[{"name":"translated"}],"parameters":{"graph":"generator"}}
        """;

    internal static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/models/{name}").WithTags("Models").RequireAuthorization(Scopes.Infer)
            .WithMetadata(new RequestExampleMetadata(Example))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // non-finite outputs, too costly
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout); // the admitted run's deadline, as for explanations
        group.MapPost("/infer", Infer).WithName("KServeInfer")
            .WithSummary("KServe V2 inference with the latest model version, any task: FP32 input [N, C, H, W] → the graph's named outputs; parameters.graph picks a graph by role.")
            .Accepts<KServeExplainRequest>("application/json", KServeBinaryResponse.ContentType);
        group.MapPost("/versions/{version:int}/infer", InferVersion).WithName("KServeInferVersion")
            .WithSummary("KServe V2 inference with one model version.")
            .Accepts<KServeExplainRequest>("application/json", KServeBinaryResponse.ContentType);
    }

    public static Task<Results<Ok<KServeInferResponse>, FileContentHttpResult, ProblemHttpResult>> Infer(
        string name, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, IOptions<JsonOptions> json) =>
        InferAsync(name, null, request, registry, cache, admitted, json.Value);

    public static Task<Results<Ok<KServeInferResponse>, FileContentHttpResult, ProblemHttpResult>> InferVersion(
        string name, int version, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, IOptions<JsonOptions> json) =>
        InferAsync(name, version, request, registry, cache, admitted, json.Value);

    private static async Task<Results<Ok<KServeInferResponse>, FileContentHttpResult, ProblemHttpResult>> InferAsync(
        string name, int? version, HttpRequest request, IModelRegistry registry, ModelSessionCache cache, AdmittedExplanation admitted, JsonOptions json)
    {
        var (model, problem) = ServedVersions.Resolve(name, version, route: null, registry, cache);
        if (model is null)
        {
            return problem!;
        }

        var spec = model.Manifest.Input;
        var (body, bodyProblem) = await KServeRequestReader.ReadAsync(request, spec, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return AsBadRequest(bodyProblem!);
        }

        var (graph, outputs, requestProblem) = Check(model, body);
        if (graph is null)
        {
            return requestProblem!;
        }

        var n = body.Images.Count;
        long[] shape = [n, spec.Channels, spec.Height, spec.Width];
        var input = body.Images.SelectMany(i => i).ToArray();
        var (run, runProblem) = await admitted.RunAsync<IReadOnlyList<ModelOutput>>(request.HttpContext, name, (long)n * spec.Height * spec.Width, _ =>
        {
            try
            {
                return (model.Run(graph.Role, input, shape, outputs), null);
            }
            catch (ObjectDisposedException)
            {
                return (null, ModelEndpoints.NotReady(ModelVersionView.From(model.Manifest, cache)));
            }
        });
        if (run is null)
        {
            return runProblem!;
        }

        var tensors = run.Select(o => new KServeOutputTensor(o.Name, o.Datatype, o.Shape, [.. o.Values.Select(v => (double)v)])).ToList();
        var versionText = model.Manifest.Version.ToString(CultureInfo.InvariantCulture);
        var parameters = new KServeInferParameters(graph.Role);
        return body.Binary.Any
            ? KServeBinaryResponse.Create(request.HttpContext.Response, model.Manifest.Name, versionText, body.Id, tensors, parameters, body.Binary, json.SerializerOptions)
            : TypedResults.Ok(new KServeInferResponse(model.Manifest.Name, versionText, body.Id, tensors, parameters));
    }

    /// <summary>The graph (<c>parameters.graph</c>, default the primary), the input's name and the outputs asked for, each checked against it.</summary>
    private static (GraphSession? Graph, IReadOnlyList<string>? Outputs, ProblemHttpResult? Problem) Check(LoadedModel model, KServeTensorRequest body)
    {
        var role = model.Primary.Role;
        if (body.Parameters?.TryGetValue("graph", out var named) == true)
        {
            if (named.ValueKind != JsonValueKind.String)
            {
                return (null, null, ImageUploadReader.Invalid("parameters.graph must be a string (a graph's role)."));
            }

            role = named.GetString()!;
        }

        if (model.Graph(role) is not { } graph)
        {
            return (null, null, ImageUploadReader.Invalid($"Model '{model.Manifest.Name}' has no graph '{Echo.Value(role)}'; it has {string.Join(", ", model.Graphs.Select(g => g.Role))}."));
        }

        if (body.InputName != graph.InputName)
        {
            return (null, null, ImageUploadReader.Invalid($"Unknown input '{Echo.Value(body.InputName)}'; graph '{graph.Role}' takes FP32 '{graph.InputName}'."));
        }

        var known = graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        if (body.Outputs?.FirstOrDefault(o => !known.Contains(o)) is { } unknown)
        {
            return (null, null, ImageUploadReader.Invalid($"Unknown output '{Echo.Value(unknown)}'; graph '{graph.Role}' has {string.Join(", ", known)}."));
        }

        return (graph, body.Outputs is { Count: > 0 } ? [.. body.Outputs.Distinct(StringComparer.Ordinal)] : null, null);
    }

    /// <summary>KServe clients (Triton's among them) expect 400 for every malformed tensor; the explain route's shape problem is 422.</summary>
    private static ProblemHttpResult AsBadRequest(ProblemHttpResult problem) =>
        problem.StatusCode == StatusCodes.Status422UnprocessableEntity
            ? TypedResults.Problem(problem.ProblemDetails.Detail, statusCode: StatusCodes.Status400BadRequest, title: problem.ProblemDetails.Title,
                type: problem.ProblemDetails.Type, extensions: problem.ProblemDetails.Extensions)
            : problem;
}
