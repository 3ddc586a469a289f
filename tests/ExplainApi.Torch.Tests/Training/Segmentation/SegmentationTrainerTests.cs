using ExplainApi.Core.Segmentation;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>The segmentation job kind's options, its dataset checks and its metrics, without training.</summary>
public sealed class SegmentationTrainerTests
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 8, Size = 48, Seed = 2, Background = LesionBackground.Noise });

    private readonly SegmentationTrainer trainer = new();

    [Fact]
    public void Options_default_to_ground_truth_masks_and_median_frequency_weights()
    {
        var validated = trainer.ValidateOptions(null);

        Assert.True(validated.IsValid);
        Assert.Equal("ground-truth", validated.Values["masks"]!.GetValue<string>());
        Assert.Equal("median-frequency", validated.Values["classWeights"]!.GetValue<string>());
        Assert.Equal(3, validated.Values["depth"]!.GetValue<int>());
        var parsed = SegmentationOptions.From(validated.Values);
        Assert.Equal(MaskSource.GroundTruth, parsed.Masks);
        Assert.Equal(ClassWeighting.MedianFrequency, parsed.ClassWeights);
        Assert.False(parsed.PolyLearningRate);
    }

    [Fact]
    public void The_learning_rate_schedule_is_poly_or_constant_and_shapes_the_fingerprint()
    {
        var constant = SegmentationOptions.From(new JsonObject { ["learningRateSchedule"] = "constant" });
        var poly = SegmentationOptions.From(new JsonObject { ["learningRateSchedule"] = "poly" });
        var invalid = trainer.ValidateOptions(new JsonObject { ["learningRateSchedule"] = "cosine" });

        Assert.False(constant.PolyLearningRate);
        Assert.NotEqual(constant.Fingerprint(), poly.Fingerprint()); // a checkpoint of the other schedule is not resumed
        Assert.Equal(["learningRateSchedule"], invalid.Errors.Keys);
    }

    [Fact]
    public void The_poly_schedule_falls_from_one_as_one_minus_the_elapsed_share_to_the_power_point_nine()
    {
        double[] expected = [1, Math.Pow(0.75, 0.9), Math.Pow(0.5, 0.9), Math.Pow(0.25, 0.9), Math.Pow(0.25, 0.9)]; // a step past the end stays at the last

        for (var t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], PolyDecay.Factor(t, 4), 12);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyDecay.Factor(0, 0));
    }

    [Theory]
    [InlineData("SSDD")]
    [InlineData("Ground-Truth")]
    public void An_unknown_mask_source_is_refused_naming_the_ones_accepted(string masks)
    {
        var validated = trainer.ValidateOptions(new JsonObject { ["masks"] = masks });

        Assert.False(validated.IsValid);
        Assert.Contains("\"ground-truth\"", validated.Errors["masks"], StringComparison.Ordinal);
        Assert.Contains("\"crf\"", validated.Errors["masks"], StringComparison.Ordinal);
        Assert.Contains("\"ssdd\"", validated.Errors["masks"], StringComparison.Ordinal);
    }

    [Fact]
    public void Ssdd_masks_take_the_static_biases_and_the_paper_sign_by_default_and_refuse_others()
    {
        var parsed = SegmentationOptions.From(new JsonObject { ["masks"] = "ssdd", ["classifier"] = "lesions" });
        var invalid = trainer.ValidateOptions(new JsonObject { ["masks"] = "ssdd", ["classifier"] = "lesions", ["ssddSign"] = "minus", ["ssddBias"] = 2, ["ssddErasedRatio"] = 1.5 });

        Assert.Equal(MaskSource.Ssdd, parsed.Masks);
        Assert.Equal(new SsddSettings(20, new Core.Segmentation.SsddBiases(0.1, 0.1, 0.5, Core.Segmentation.SsddSign.Paper)), parsed.Ssdd);
        Assert.Equal(["ssddBias", "ssddErasedRatio", "ssddSign"], invalid.Errors.Keys.Order());
        Assert.Contains("classifier", trainer.ValidateOptions(new JsonObject { ["masks"] = "ssdd" }).Errors.Keys);
    }

    [Theory]
    [InlineData("crf")]
    [InlineData("seeds")]
    public void A_pseudo_mask_source_without_a_classifier_is_an_error_of_the_classifier_field(string masks)
    {
        var validated = trainer.ValidateOptions(new JsonObject { ["masks"] = masks });

        Assert.Equal(["classifier"], validated.Errors.Keys);
        Assert.Contains($"masks \"{masks}\" needs classifier", validated.Errors["classifier"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pseudo_mask_source_with_a_classifier_takes_the_psa_and_crf_defaults()
    {
        var validated = trainer.ValidateOptions(new JsonObject { ["masks"] = "crf", ["classifier"] = "lesions", ["classifierVersion"] = 2 });

        Assert.True(validated.IsValid, string.Join(" ", validated.Errors.Values));
        var parsed = SegmentationOptions.From(validated.Values);
        Assert.Equal((MaskSource.Crf, "lesions", (int?)2, 16.0, 10), (parsed.Masks, parsed.Classifier, parsed.ClassifierVersion, parsed.Alpha, parsed.CrfParameters.Iterations));
        Assert.Equal("crf", parsed.MasksName);
        Assert.Equal(DenseCrfParameters.Default, parsed.CrfParameters);
    }

    [Fact]
    public void The_crf_kernels_are_options_checked_by_field()
    {
        var options = new JsonObject
        {
            ["masks"] = "crf", ["classifier"] = "lesions", ["crfIterations"] = 5, ["crfSmoothnessSigma"] = 1.5, ["crfSmoothnessWeight"] = 2,
            ["crfAppearanceSigma"] = 20, ["crfAppearanceIntensitySigma"] = 8, ["crfAppearanceWeight"] = 4,
        };

        var parsed = SegmentationOptions.From(trainer.ValidateOptions(options).Values);
        Assert.Equal(new DenseCrfParameters(1.5f, 2, 20, 8, 4, 5), parsed.CrfParameters);

        options["crfAppearanceSigma"] = 0;
        options["crfAppearanceWeight"] = -1;
        Assert.Equal(["crfAppearanceSigma", "crfAppearanceWeight"], trainer.ValidateOptions(options).Errors.Keys.Order());
    }

    [Fact]
    public void Unknown_options_and_out_of_range_values_are_errors_by_field()
    {
        var validated = trainer.ValidateOptions(new JsonObject { ["depth"] = 9, ["classWeights"] = "inverse", ["stemStride"] = 2 });

        Assert.Equal(["classWeights", "depth", "stemStride"], validated.Errors.Keys.Order());
    }

    [Fact]
    public void A_dataset_without_segmentation_is_unsuitable()
    {
        var why = trainer.ValidateDataset(new SquaresDataset(count: 8, size: 16, seed: 1));

        Assert.NotNull(why);
        Assert.Contains("per-pixel class masks", why, StringComparison.Ordinal);
        Assert.Null(trainer.ValidateDataset(Lesions));
    }

    [Fact]
    public void The_depth_must_halve_the_images_evenly()
    {
        Assert.Null(trainer.ValidateDatasetOptions(trainer.ValidateOptions(new JsonObject { ["depth"] = 4 }).Values, Lesions)); // 48 = 3 · 16
        var why = trainer.ValidateDatasetOptions(trainer.ValidateOptions(new JsonObject { ["depth"] = 5 }).Values, Lesions);
        Assert.Equal("A segmenter of depth 5 needs sides divisible by 32; the dataset's images are 48×48.", why);
    }

    [Fact]
    public void Metrics_come_from_the_confusion_matrix_with_background_and_skip_classes_never_seen()
    {
        // Rows truth, columns prediction, K = 3: background 8 right, 2 called class 1; class 1: 3 right, 1 called background; class 2 absent.
        long[] confusion = [8, 2, 0, 1, 3, 0, 0, 0, 0];

        var metrics = SegmenterMetrics.FromConfusion(confusion, 3, loss: 0.5);

        Assert.Equal(11.0 / 14, metrics.PixelAccuracy, 12);
        Assert.Equal(8.0 / 11, metrics.IoU[0]!.Value, 12); // TP 8, FN 2, FP 1
        Assert.Equal(3.0 / 6, metrics.IoU[1]!.Value, 12);  // TP 3, FN 1, FP 2
        Assert.Null(metrics.IoU[2]);
        Assert.Equal(((8.0 / 11) + 0.5) / 2, metrics.MeanIoU, 12);
        var named = metrics.ToDictionary(["background", "blob", "thin"], "validation");
        Assert.Equal(["validationIoU.background", "validationIoU.blob", "validationLoss", "validationMeanIoU", "validationPixelAccuracy"], named.Keys.Order());
    }

    [Fact]
    public void Median_frequency_weights_favour_the_rare_classes_and_give_absent_ones_nothing()
    {
        var weights = SegmentationTraining.MedianFrequencyWeights(Lesions, [.. Enumerable.Range(0, Lesions.Count)]);

        Assert.Equal(4, weights.Length);
        Assert.True(weights[0] < weights.Skip(1).Where(w => w > 0).Min(), string.Join(", ", weights));
    }
}
