using System.Text;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Models;

/// <summary>segmentation.classifier: the pseudo-masks' classifier, written only when there is one; manifests without it still read.</summary>
public sealed class SegmentationManifestTests
{
    [Fact]
    public void A_classifier_link_round_trips_and_a_ground_truth_manifest_leaves_the_field_out()
    {
        var linked = Segmenter("crf", new LinkedModel("lesion-classifier", 3));
        var json = Encoding.UTF8.GetString(ModelManifestJson.Serialize(linked));

        Assert.Contains("\"classifier\": {", json, StringComparison.Ordinal);
        var read = ModelManifestJson.Parse(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal(new LinkedModel("lesion-classifier", 3), read.Segmentation!.Classifier);
        Assert.Equal("crf", read.Segmentation.Masks);
        Assert.True(ModelContent.Same(linked, read));
        Assert.False(ModelContent.Same(linked, Segmenter("crf", new LinkedModel("lesion-classifier", 2))));

        var groundTruth = Encoding.UTF8.GetString(ModelManifestJson.Serialize(Segmenter("ground-truth", null)));
        Assert.DoesNotContain("classifier", groundTruth, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_written_before_the_link_existed_reads_with_no_classifier()
    {
        // The segmentation section as manifests were written before issue 10 item 6: class names, graph, masks.
        var json = Encoding.UTF8.GetString(ModelManifestJson.Serialize(Segmenter("seeds", null)));
        Assert.Contains("\"masks\": \"seeds\"", json, StringComparison.Ordinal);

        var read = ModelManifestJson.Parse(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(read);
        Assert.Equal(["background", "blob"], read.Segmentation!.ClassNames);
        Assert.Null(read.Segmentation.Classifier);
    }

    [Fact]
    public void A_static_ssdd_section_round_trips_its_stages_detector_and_biases_and_older_manifests_infer_their_stages()
    {
        var ssdd = Segmenter("ssdd", new LinkedModel("lesion-classifier", 3), ["seed", "crf", "ssdd"], new SsddSection("ssdd-detector", new SsddBiases(0.2, 0.1, 0.5, SsddSign.Flipped)));
        var json = Encoding.UTF8.GetString(ModelManifestJson.Serialize(ssdd));

        Assert.Contains("\"sign\": \"flipped\"", json, StringComparison.Ordinal);
        var read = ModelManifestJson.Parse(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal(ssdd.Segmentation!.Ssdd, read.Segmentation!.Ssdd);
        Assert.Equal(["seed", "crf", "ssdd"], read.Segmentation.ServedStages);
        Assert.True(ModelContent.Same(ssdd, read));
        Assert.False(ModelContent.Same(ssdd, ssdd with { Segmentation = ssdd.Segmentation with { Ssdd = new SsddSection("ssdd-detector", SsddBiases.Static) } }));
        Assert.Contains("'ssdd-detector', which the version does not have", (ssdd with { Graphs = [ssdd.Graphs[0]] }).Inconsistency(), StringComparison.Ordinal);

        Assert.Equal(["seed", "crf"], Segmenter("crf", new LinkedModel("lesion-classifier", 3)).Segmentation!.ServedStages);
        Assert.Empty(Segmenter("ground-truth", null).Segmentation!.ServedStages);
    }

    [Fact]
    public void The_pseudo_mask_settings_round_trip_and_take_part_in_sameness()
    {
        var manifest = Segmenter("crf", new LinkedModel("lesion-classifier", 1));
        var tuned = manifest with { Segmentation = manifest.Segmentation! with { PseudoMasks = new PseudoMaskSettings(0.5, new DenseCrfParameters(2, 1, 20, 8, 4, 7)) } };

        var read = ModelManifestJson.Parse(ModelManifestJson.Serialize(tuned))!;

        Assert.Equal(tuned.Segmentation!.PseudoMasks, read.Segmentation!.PseudoMasks);
        Assert.True(ModelContent.Same(tuned, read));
        Assert.False(ModelContent.Same(tuned, manifest));
        Assert.Null(ModelManifestJson.Parse(ModelManifestJson.Serialize(manifest))!.Segmentation!.PseudoMasks);
    }

    private static ModelManifest Segmenter(string masks, LinkedModel? classifier, IReadOnlyList<string>? stages = null, SsddSection? ssdd = null) => new(
        "lesion-segmenter", 1, ModelTask.Segmentation,
        new ModelInputSpec(1, 48, 48, InputNormalization.MinMaxSymmetric, true),
        [new ModelGraph("segmenter", "segmenter.onnx"), .. ssdd is null ? Array.Empty<ModelGraph>() : [new ModelGraph(ssdd.Detector, ssdd.Detector + ".onnx")]],
        null, null, "job_1", "synthetic:lesions",
        new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string> { ["segmenter.onnx"] = "aa", ["ssdd-detector.onnx"] = "bb" },
        Segmentation: new SegmentationSection(["background", "blob"], "segmenter", masks, classifier, stages, ssdd));
}
