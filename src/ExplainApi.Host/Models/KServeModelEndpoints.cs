using System.Globalization;
using ExplainApi.Core.Models;
using ExplainApi.Host.Auth;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// KServe V2 (Open Inference Protocol) model metadata and model readiness. Without a version they answer for the
/// latest one. Metadata comes from the loaded session, so it is 503 until the version is ready.
/// </summary>
public static class KServeModelEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/models/{name}").WithTags("Models").RequireAuthorization(Scopes.Infer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("", Metadata).WithName("KServeModelMetadata")
            .WithSummary("KServe V2 model metadata of the latest version: versions, platform, the primary graph's inputs and outputs (datatype, shape with -1 for dynamic dimensions); extensions: task and every graph by role.");
        group.MapGet("/versions/{version:int}", VersionMetadata).WithName("KServeModelVersionMetadata")
            .WithSummary("KServe V2 model metadata of one version.");
        group.MapGet("/ready", Ready).WithName("KServeModelReady")
            .WithSummary("KServe V2 model readiness of the latest version: 200 when loaded and warmed, 503 problem while loading or after a failed load.");
        group.MapGet("/versions/{version:int}/ready", VersionReady).WithName("KServeModelVersionReady")
            .WithSummary("KServe V2 readiness of one model version.");
    }

    public static Results<Ok<KServeModelMetadata>, ProblemHttpResult> Metadata(string name, IModelRegistry registry, ModelSessionCache cache) =>
        Describe(name, null, registry, cache);

    public static Results<Ok<KServeModelMetadata>, ProblemHttpResult> VersionMetadata(string name, int version, IModelRegistry registry, ModelSessionCache cache) =>
        Describe(name, version, registry, cache);

    public static Results<Ok<KServeModelReady>, ProblemHttpResult> Ready(string name, IModelRegistry registry, ModelSessionCache cache) =>
        Readiness(name, null, registry, cache);

    public static Results<Ok<KServeModelReady>, ProblemHttpResult> VersionReady(string name, int version, IModelRegistry registry, ModelSessionCache cache) =>
        Readiness(name, version, registry, cache);

    private static Results<Ok<KServeModelMetadata>, ProblemHttpResult> Describe(string name, int? version, IModelRegistry registry, ModelSessionCache cache)
    {
        var versions = ModelCatalog.Versions(registry, cache, name);
        if (ModelCatalog.Pick(versions, version) is not { } view)
        {
            return ModelEndpoints.NotFound(name, version);
        }

        if (!cache.TryGet(view.Name, view.Version, out var model))
        {
            return ModelEndpoints.NotReady(view);
        }

        return TypedResults.Ok(new KServeModelMetadata(name, [.. versions.Select(v => Text(v.Version))], KServeModelMetadata.OnnxPlatform, model.Inputs, model.Outputs,
            model.Manifest.Task, [.. model.Graphs.Select(g => new KServeGraphMetadata(g.Role, g.File, g.Inputs, g.Outputs))]));
    }

    private static Results<Ok<KServeModelReady>, ProblemHttpResult> Readiness(string name, int? version, IModelRegistry registry, ModelSessionCache cache)
    {
        if (ModelCatalog.Find(name, version, registry, cache) is not { } view)
        {
            return ModelEndpoints.NotFound(name, version);
        }

        return view.State == ModelSessionState.Ready
            ? TypedResults.Ok(new KServeModelReady(name, Text(view.Version), true))
            : ModelEndpoints.NotReady(view);
    }

    private static string Text(int version) => version.ToString(CultureInfo.InvariantCulture);
}
