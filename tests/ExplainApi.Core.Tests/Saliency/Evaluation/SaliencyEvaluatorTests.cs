using System.Text.Json.Nodes;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Evaluation;

public sealed class SaliencyEvaluatorTests
{
    private static readonly EvaluationSubject Subject = new("relu-mean", 1, "test:boxes", "all images");

    private static SaliencyEvaluationTable Evaluate(IExplainableModel model, params (string Method, int Images)[] plans) =>
        new SaliencyEvaluator().Evaluate(model, new BoxDataset(), [0, 1, 2],
            [.. plans.Select(p => new EvaluationMethodPlan(Method(p.Method), p.Images))], Subject);

    private static ISaliencyMethod Method(string name) => SaliencyMethods.TryGet(name, out var method) ? method : throw new ArgumentException(name);

    [Fact]
    public void A_map_that_equals_the_mask_scores_a_perfect_pointing_game_energy_and_ncc()
    {
        var table = Evaluate(new ReluMeanModel(), ("cam", 10), ("gradcam", 10));

        Assert.Equal(2, table.CandidateImages); // the class-0 image has no region
        Assert.Equal(1.0, table.ModelAccuracy);
        foreach (var row in table.Methods)
        {
            Assert.Null(row.Unsupported);
            Assert.Equal(2, row.Images);
            Assert.Equal(1.0, row.PointingGame.Mean);
            Assert.Equal(1.0, row.EnergyPointingGame.Mean, 6);
            Assert.Equal(1.0, row.NccSigned.Mean, 6);
            Assert.Equal(1.0, row.NccAbsolute.Mean, 6);
        }
    }

    [Fact]
    public void Deletion_auc_follows_the_logit_as_the_box_pixels_are_removed_first()
    {
        var row = Assert.Single(Evaluate(new ReluMeanModel(), ("cam", 1)).Methods);

        // Step k of 64 deletes one pixel; the 4 box pixels go first, so y_1 = 32·(4 − k)/64 for k ≤ 4 and 0 after.
        var curve = Enumerable.Range(0, DeletionInsertion.Steps + 1)
            .Select(k => 1 / (1 + Math.Exp(-ReluMeanModel.Scale * Math.Max(4 - k, 0) / ReluMeanModel.Pixels)))
            .ToArray();
        Assert.Equal(DeletionInsertion.Auc(curve), row.DeletionAuc.Mean, 5);
        Assert.True(row.InsertionAuc.Mean > row.DeletionAuc.Mean);
    }

    [Fact]
    public void Each_method_sees_only_its_planned_number_of_images_and_unsupported_methods_say_why()
    {
        var table = Evaluate(new ReluMeanModel(hasGradients: false), ("cam", 1), ("gradcam", 2), ("occlusion", 2));

        var (cam, gradcam, occlusion) = (table.Methods[0], table.Methods[1], table.Methods[2]);
        Assert.Equal(1, cam.Images);
        Assert.Equal(0, gradcam.Images);
        Assert.Contains("gradients", gradcam.Unsupported, StringComparison.Ordinal);
        Assert.True(double.IsNaN(gradcam.PointingGame.Mean));
        Assert.Equal(2, occlusion.Images);
        Assert.True(occlusion.SignedMap);
    }

    [Fact]
    public void A_dataset_without_masks_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SaliencyEvaluator().Evaluate(
            new ReluMeanModel(), new BoxDataset(masks: false), [1], [new EvaluationMethodPlan(Method("cam"), 1)], Subject));
    }

    [Fact]
    public void The_json_and_markdown_tables_carry_every_method_and_write_missing_values_as_null()
    {
        var table = Evaluate(new ReluMeanModel(hasGradients: false), ("cam", 2), ("gradcam", 2));

        var json = JsonNode.Parse(EvaluationJson.Write(table))!;
        Assert.Equal(SaliencyEvaluationTable.SchemaVersion, json["schemaVersion"]!.GetValue<int>());
        Assert.Equal("relu-mean", json["model"]!.GetValue<string>());
        var methods = json["methods"]!.AsArray();
        Assert.Equal(["cam", "gradcam"], methods.Select(m => m!["method"]!.GetValue<string>()));
        Assert.Equal(1.0, methods[0]!["energyPointingGame"]!["mean"]!.GetValue<double>(), 6);
        Assert.Equal(2, methods[0]!["energyPointingGame"]!["count"]!.GetValue<int>());
        Assert.Null(methods[1]!["energyPointingGame"]!["mean"]);
        Assert.NotNull(methods[1]!["unsupported"]);

        var markdown = EvaluationMarkdown.Write(table);
        Assert.Contains("| cam | 2 | 1.000 ± 0.000 | 1.000 ± 0.000 | 1.000 ± 0.000 | 1.000 ± 0.000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| gradcam | 0 | not supported:", markdown, StringComparison.Ordinal);
    }
}
