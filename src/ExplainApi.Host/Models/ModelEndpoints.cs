using ExplainApi.Core.Models;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Errors;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// The model registry over HTTP: what is registered, how each version is served (state, execution provider,
/// failure reason) and its manifest; deletion for admins. KServe V2 model metadata and readiness are in
/// <see cref="KServeModelEndpoints"/>.
/// </summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/models").WithTags("Models").RequireAuthorization(Scopes.Infer);
        read.MapGet("", List).WithName("ListModels")
            .WithSummary("Every registered model version, newest first per name, with its serving state, execution provider and manifest.");
        read.MapGet("/{name}", Get).WithName("GetModel")
            .WithSummary("One model: its latest version and every version with state, provider and manifest.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{name}/versions/{version:int}", GetVersion).WithName("GetModelVersion")
            .WithSummary("One model version: serving state, execution provider, failure reason and manifest.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // A separate group: authorization policies on a group and its endpoints add up, and deletion needs admin only.
        var admin = app.MapGroup("/v1/models").WithTags("Models").RequireAuthorization(Scopes.Admin).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/{name}", Delete).WithName("DeleteModel")
            .WithSummary("Delete every version of a model and unload them (sessions close once their inferences finish).");
        admin.MapDelete("/{name}/versions/{version:int}", DeleteVersion).WithName("DeleteModelVersion")
            .WithSummary("Delete one model version and unload it.");

        KServeModelEndpoints.Map(app);
        KServeInferEndpoints.Map(app);
        KServeExplainEndpoints.Map(app);
        ModelImportEndpoints.Map(app);
        app.MapSaliencyEndpoints();
        return app;
    }

    public static Ok<ModelListView> List(IModelRegistry registry, ModelSessionCache cache) =>
        TypedResults.Ok(new ModelListView(ModelCatalog.Versions(registry, cache)));

    public static Results<Ok<ModelView>, ProblemHttpResult> Get(string name, IModelRegistry registry, ModelSessionCache cache)
    {
        var versions = ModelCatalog.Versions(registry, cache, name);
        return versions.Count == 0 ? NotFound(name, null) : TypedResults.Ok(new ModelView(name, versions[0].Version, versions));
    }

    public static Results<Ok<ModelVersionView>, ProblemHttpResult> GetVersion(string name, int version, IModelRegistry registry, ModelSessionCache cache) =>
        ModelCatalog.Find(name, version, registry, cache) is { } view ? TypedResults.Ok(view) : NotFound(name, version);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(
        string name, IModelRegistry registry, ModelSessionCache cache, CancellationToken cancellationToken) =>
        DeleteAsync(name, null, registry, cache, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteVersion(
        string name, int version, IModelRegistry registry, ModelSessionCache cache, CancellationToken cancellationToken) =>
        DeleteAsync(name, version, registry, cache, cancellationToken);

    internal static ProblemHttpResult NotFound(string name, int? version) => TypedResults.Problem(
        title: "Model not found",
        detail: version is null ? $"Model '{Echo.Value(name)}' is not registered." : $"Model '{Echo.Value(name)}' has no version {version}.",
        statusCode: StatusCodes.Status404NotFound,
        type: ModelProblemTypes.ModelNotFound);

    internal static ProblemHttpResult NotReady(ModelVersionView view) => TypedResults.Problem(
        title: "Model not ready",
        detail: view.State == ModelSessionState.Failed
            ? $"Model '{view.Name}' version {view.Version} failed to load: {view.FailureReason}"
            : $"Model '{view.Name}' version {view.Version} is still loading.",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        type: ModelProblemTypes.ModelNotReady,
        extensions: new Dictionary<string, object?> { ["state"] = view.State });

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, int? version, IModelRegistry registry, ModelSessionCache cache, CancellationToken cancellationToken)
    {
        if (!await registry.DeleteAsync(name, version, cancellationToken))
        {
            return NotFound(name, version);
        }

        // The loader evicts on the registry's Deleted event too; evicting here makes it hold for any registry.
        cache.Evict(name, version);
        return TypedResults.NoContent();
    }
}
