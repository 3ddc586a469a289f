using System.Text.Json.Serialization;

namespace ExplainApi.Core.Models;

/// <summary>What a model version does; the manifest's closed set, which picks the serving adapter and the routes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelTask>))]
public enum ModelTask
{
    [JsonStringEnumMemberName("classification")]
    Classification,

    [JsonStringEnumMemberName("difference-map")]
    DifferenceMap,

    [JsonStringEnumMemberName("segmentation")]
    Segmentation,

    [JsonStringEnumMemberName("generation")]
    Generation,
}

/// <summary>The task names as they appear in manifests, routes and problem details.</summary>
public static class ModelTasks
{
    public static string Name(ModelTask task) => task switch
    {
        ModelTask.Classification => "classification",
        ModelTask.DifferenceMap => "difference-map",
        ModelTask.Segmentation => "segmentation",
        ModelTask.Generation => "generation",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, null),
    };
}
