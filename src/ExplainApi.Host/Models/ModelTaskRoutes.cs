using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// Which routes serve a model of each task: its task routes (none yet for generation, which has no
/// serving adapter) and the KServe routes every version has. A route given a model of another task answers 409
/// model-task-mismatch naming the model's task and the route that serves it.
/// </summary>
public static class ModelTaskRoutes
{
    public const string Saliency = "POST /v1/models/{name}/saliency";
    public const string DifferenceMap = "POST /v1/models/{name}/difference-map";
    public const string Segment = "POST /v1/models/{name}/segment";
    public const string KServeExplain = "POST /v2/models/{name}/explain";
    public const string KServeInfer = "POST /v2/models/{name}/infer";
    public const string KServeMetadata = "GET /v2/models/{name}";

    private static readonly Dictionary<ModelTask, string[]> ByTask = new()
    {
        [ModelTask.Classification] = [Saliency, KServeExplain],
        [ModelTask.DifferenceMap] = [DifferenceMap, KServeExplain],
        [ModelTask.Segmentation] = [Segment],
        [ModelTask.Generation] = [],
    };

    private static readonly string[] Generic = [KServeInfer, KServeMetadata];

    /// <summary>Every route that serves <paramref name="task"/>, task routes first, with the model's name filled in.</summary>
    public static IReadOnlyList<string> For(ModelTask task, string name) => [.. ByTask[task].Concat(Generic).Select(r => Fill(r, name))];

    /// <summary>Null when <paramref name="route"/> serves <paramref name="manifest"/>'s task, else the 409 naming the route that does.</summary>
    public static ProblemHttpResult? Mismatch(ModelManifest manifest, string route)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var task = ModelTasks.Name(manifest.Task);
        if (ByTask[manifest.Task].Contains(route))
        {
            return null;
        }

        var serving = ByTask[manifest.Task] is [var first, ..]
            ? $"use {Fill(first, manifest.Name)}."
            : $"no task route serves it yet; {Fill(KServeInfer, manifest.Name)} runs its graphs.";
        var article = task[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
        return TypedResults.Problem(
            title: "Model task mismatch",
            detail: $"Model '{manifest.Name}' is {article} {task} model; {serving}",
            statusCode: StatusCodes.Status409Conflict,
            type: ProblemTypes.ModelTaskMismatch,
            extensions: new Dictionary<string, object?> { ["task"] = task, ["routes"] = For(manifest.Task, manifest.Name) });
    }

    private static string Fill(string route, string name) => route.Replace("{name}", name, StringComparison.Ordinal);
}
