using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Tests.Training;
using ExplainApi.Torch.Training.CycleGan;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

/// <summary>ValidateDataset, and ValidateLinks: the class pair must be the dataset's, and a linked classifier must exist, classify, take the dataset's images and know both classes.</summary>
public sealed class CycleGanLinksTests
{
    private static readonly SquaresDataset Squares = new(count: 8, size: 32, seed: 1);
    private readonly CycleGanTrainer trainer = new();

    [Fact]
    public void A_matching_classifier_and_the_default_class_pair_pass()
    {
        var models = new ManifestRegistry(Classifier("judge", 2, 1, 32, 32, "normal", "abnormal"));

        Assert.Null(trainer.ValidateLinks(Options(new() { ["classifier"] = "judge" }), Squares, models));
        Assert.Null(trainer.ValidateLinks(Options(new() { ["classifier"] = "judge", ["classifierVersion"] = 2 }), Squares, models));
        Assert.Equal(new LinkedModel("judge", 2), CycleGanLinks.Classifier(CycleGanOptions.From(new JsonObject { ["classifier"] = "judge" }), models));
    }

    [Theory]
    [InlineData("missing", null, "is not registered")]
    [InlineData("judge", 7, "version 7 is not registered")]
    [InlineData("maps", null, "is a difference-map model, not a classifier")]
    [InlineData("small", null, "takes 1×16×16 images; these are 1×32×32")]
    [InlineData("other-classes", null, "lacks normal, abnormal")]
    public void An_unusable_classifier_is_refused_with_the_reason(string name, int? version, string reason)
    {
        var models = new ManifestRegistry(
            Classifier("judge", 2, 1, 32, 32, "normal", "abnormal"),
            Classifier("maps", 1, 1, 32, 32, "normal", "abnormal") with { Task = ModelTask.DifferenceMap, Classification = null },
            Classifier("small", 1, 1, 16, 16, "normal", "abnormal"),
            Classifier("other-classes", 1, 1, 32, 32, "cat", "dog"));

        var problem = trainer.ValidateLinks(Options(new() { ["classifier"] = name, ["classifierVersion"] = version }), Squares, models);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData("tumour", null, "The dataset has no class 'tumour'")]
    [InlineData("abnormal", "abnormal", "classA and classB are both 'abnormal'")]
    public void A_class_pair_the_dataset_lacks_is_refused(string classA, string? classB, string reason)
    {
        var problem = trainer.ValidateDatasetOptions(Options(new() { ["classA"] = classA, ["classB"] = classB }), Squares);

        Assert.Null(trainer.ValidateLinks(Options(new() { ["classA"] = classA, ["classB"] = classB }), Squares, new ManifestRegistry()));

        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_dataset_whose_sides_two_stride_2_levels_cannot_halve_is_refused()
    {
        Assert.Null(trainer.ValidateDataset(Squares));
        Assert.Contains("divisible by 4", trainer.ValidateDataset(new SquaresDataset(count: 8, size: 18, seed: 1)));
    }

    [Fact]
    public void Named_classes_choose_the_direction()
    {
        Assert.Equal((1, 0), CycleGanLinks.Classes(CycleGanOptions.From(new JsonObject { ["classA"] = "abnormal", ["classB"] = "normal" }), Squares));
        Assert.Equal((0, 1), CycleGanLinks.Classes(CycleGanOptions.From(null), Squares));
    }

    private static JsonObject Options(JsonObject given) => CycleGanOptions.Validate(given).Values;

    private static ModelManifest Classifier(string name, int version, int channels, int height, int width, params string[] classes) =>
        new(name, version, ModelTask.Classification, new ModelInputSpec(channels, height, width, InputNormalization.MinMaxSymmetric, false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)], new ClassificationSection(classes, ["layer3"]), null,
            null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
}
