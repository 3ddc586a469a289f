using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Tests.Training;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Torch.Tests.Training.VaGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class VaGanTrainerTests : IDisposable
{
    private readonly VaGanTrainer trainer = new();
    private readonly SquaresDataset squares = new(count: 40, size: 16, seed: 4);
    private readonly TrainingTestRun run = new();

    [Fact]
    public void A_run_returns_a_difference_map_model_whose_generator_graph_runs_in_ONNX_Runtime()
    {
        var registry = new ManifestRegistry(Classifier("judge", 3, 1, 16, 16, ["normal", "abnormal"]));
        var options = new JsonObject { ["iterations"] = 3, ["batchSize"] = 4, ["warmupCriticSteps"] = 2, ["validateEvery"] = 2, ["classifier"] = "judge" };

        var model = VaGanTrainer.Train(run.Create(squares, options) with { Models = registry }, CancellationToken.None);

        Assert.Equal(ModelTask.DifferenceMap, model.Task);
        Assert.Equal([new ModelGraph("generator", "generator.onnx")], model.Graphs);
        var section = model.DifferenceMap!;
        Assert.Equal(("vagan", new LinkedModel("judge", 3)), (section.Method, section.Classifier));
        Assert.Equal([new DifferenceDirection("a2b", "generator", "abnormal", "normal")], section.Directions);
        Assert.Contains("validationNcc", model.Metrics.Keys);
        Assert.Contains(model.Metrics["bestStep"], new[] { 2.0, 3.0 }); // validations after steps 2 and 3 (the last)
        var x = new float[2 * 16 * 16];
        var translated = OnnxRun.Run(File.ReadAllBytes(Path.Combine(run.Output, "generator.onnx")),
            new Dictionary<string, (float[], long[])> { [DifferenceMapOnnxContract.Input] = (x, [2, 1, 16, 16]) }, null, DifferenceMapOnnxContract.Translated);
        Assert.Equal([2L, 1, 16, 16], translated[DifferenceMapOnnxContract.Translated].Shape);
    }

    [Theory]
    [InlineData("missing", null, "is not registered")]
    [InlineData("judge", 9, "is not registered")]
    [InlineData("maps", null, "is a difference-map model, not a classifier")]
    [InlineData("big", null, "takes 1×32×32 images")]
    [InlineData("cats", null, "it lacks abnormal, normal")]
    public void A_bad_classifier_link_is_refused_with_the_reason(string name, int? version, string reason)
    {
        var registry = new ManifestRegistry(
            Classifier("judge", 1, 1, 16, 16, ["normal", "abnormal"]), Classifier("big", 1, 1, 32, 32, ["normal", "abnormal"]),
            Classifier("cats", 1, 1, 16, 16, ["cat", "dog"]), Classifier("maps", 1, 1, 16, 16, ["normal", "abnormal"]) with { Task = ModelTask.DifferenceMap });
        var options = VaGanOptions.Validate(new JsonObject { ["classifier"] = name, ["classifierVersion"] = version }).Values;

        Assert.Contains(reason, trainer.ValidateLinks(options, squares, registry));
        Assert.Null(trainer.ValidateLinks(VaGanOptions.Validate(new JsonObject { ["classifier"] = "judge" }).Values, squares, registry));
    }

    [Fact]
    public void A_linked_classifier_gone_by_the_time_the_job_runs_fails_it_before_training()
    {
        var options = new JsonObject { ["iterations"] = 3, ["classifier"] = "judge" };

        var ex = Assert.Throws<InvalidOperationException>(() => VaGanTrainer.Train(run.Create(squares, options) with { Models = new ManifestRegistry() }, CancellationToken.None));

        Assert.Contains("'judge'", ex.Message);
        Assert.Empty(run.Reports);
    }

    [Fact]
    public void A_class_pair_the_dataset_lacks_is_refused_even_without_a_classifier()
    {
        var options = VaGanOptions.Validate(new JsonObject { ["fromClass"] = "tumour" }).Values;

        Assert.Contains("tumour", trainer.ValidateDatasetOptions(options, squares));
        Assert.Null(trainer.ValidateLinks(options, squares, new ManifestRegistry())); // a dataset problem, not a link problem
    }

    private static ModelManifest Classifier(string name, int version, int channels, int height, int width, string[] classes) =>
        new(name, version, ModelTask.Classification, new ModelInputSpec(channels, height, width, InputNormalization.MinMaxSymmetric, false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)], new ClassificationSection(classes, ["layer2"]), null,
            null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());

    public void Dispose() => run.Dispose();
}
