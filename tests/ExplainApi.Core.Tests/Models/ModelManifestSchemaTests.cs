using System.Text;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;

namespace ExplainApi.Core.Tests.Models;

public sealed class ModelManifestSchemaTests
{
    private const string Schema1 = """
        {"name":"squares","version":3,"task":"classification",
         "input":{"channels":1,"height":112,"width":112,"normalization":{"kind":"per-image-minmax-symmetric","mean":[0],"std":[1]},"allowResize":false,"inputName":"input"},
         "classNames":["normal","abnormal"],"targetLayers":["layer3.1"],"trainingJob":"job_1","dataset":"synthetic:squares",
         "metrics":{"validationAccuracy":1},"createdAt":"2026-11-01T00:00:00+00:00",
         "files":{"model.onnx":"aa","weights.bin":"bb"},"schemaVersion":1}
        """;

    [Fact]
    public void A_schema_1_manifest_reads_as_a_classifier_with_one_model_graph_and_its_classes_in_the_classification_section()
    {
        var manifest = ModelManifestJson.Parse(Encoding.UTF8.GetBytes(Schema1));

        Assert.NotNull(manifest);
        Assert.Equal(ModelTask.Classification, manifest.Task);
        Assert.Equal([new ModelGraph("model", "model.onnx")], manifest.Graphs);
        Assert.Equal(["normal", "abnormal"], manifest.Classification!.ClassNames);
        Assert.Equal(["layer3.1"], manifest.TargetLayers);
        Assert.Null(manifest.DifferenceMap);
        Assert.Equal(1, manifest.SchemaVersion);
    }

    [Fact]
    public void A_difference_map_manifest_round_trips_with_its_task_written_as_a_kebab_case_name()
    {
        var manifest = DifferenceMap();

        var json = ModelManifestJson.Serialize(manifest);
        var read = ModelManifestJson.Parse(json);

        Assert.Contains("\"task\": \"difference-map\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.NotNull(read);
        Assert.Equal(ModelTask.DifferenceMap, read.Task);
        Assert.Equal(manifest.Graphs, read.Graphs);
        Assert.Equal(manifest.DifferenceMap!.Directions, read.DifferenceMap!.Directions);
        Assert.Equal(new LinkedModel("squares", 2), read.DifferenceMap.Classifier);
        Assert.Equal(["normal", "abnormal"], read.ClassNames);
        Assert.Empty(read.TargetLayers);
    }

    [Theory]
    [InlineData("\"task\": \"difference-map\"", "\"task\": \"regression\"")] // not one of the four tasks
    [InlineData("\"differenceMap\": {", "\"otherSection\": {")] // the task's section is missing
    [InlineData("\"graph\": \"generator-b2a\"", "\"graph\": \"decoder\"")] // a direction names a graph the version lacks
    [InlineData("\"file\": \"generator.onnx\"", "\"file\": \"../generator.onnx\"")] // a graph file outside the folder
    public void An_inconsistent_or_unknown_manifest_is_not_read(string from, string to)
    {
        var json = Encoding.UTF8.GetString(ModelManifestJson.Serialize(DifferenceMap()));
        Assert.Contains(from, json, StringComparison.Ordinal);

        Assert.Null(ModelManifestJson.Parse(Encoding.UTF8.GetBytes(json.Replace(from, to, StringComparison.Ordinal))));
    }

    private static ModelManifest DifferenceMap() => new(
        "squares-cyclegan", 1, ModelTask.DifferenceMap,
        new ModelInputSpec(1, 64, 64, InputNormalization.MinMaxSymmetric, AllowResize: false),
        [new ModelGraph("generator", "generator.onnx"), new ModelGraph("generator-b2a", "generator-b2a.onnx")],
        null,
        new DifferenceMapSection("cyclegan", ["normal", "abnormal"],
            [new DifferenceDirection("a2b", "generator", "normal", "abnormal"), new DifferenceDirection("b2a", "generator-b2a", "abnormal", "normal")],
            new LinkedModel("squares", 2)),
        "job_2", "synthetic:squares", new Dictionary<string, double>(), DateTimeOffset.UnixEpoch,
        new Dictionary<string, string> { ["generator.onnx"] = "aa", ["generator-b2a.onnx"] = "bb" });
}
