using System.Text;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Models;

/// <summary>classification.outputActivation: written only for a multi-label (sigmoid) classifier; absent means softmax.</summary>
public sealed class MultiLabelManifestTests
{
    [Fact]
    public void A_multi_label_manifest_writes_sigmoid_and_reads_it_back_while_a_softmax_one_leaves_the_field_out()
    {
        var sigmoid = Classifier(OutputActivation.Sigmoid);
        var softmax = Classifier(OutputActivation.Softmax);

        var sigmoidJson = Encoding.UTF8.GetString(ModelManifestJson.Serialize(sigmoid));
        var softmaxJson = Encoding.UTF8.GetString(ModelManifestJson.Serialize(softmax));

        Assert.Contains("\"outputActivation\": \"sigmoid\"", sigmoidJson, StringComparison.Ordinal);
        Assert.DoesNotContain("outputActivation", softmaxJson, StringComparison.Ordinal);
        Assert.Equal(OutputActivation.Sigmoid, ModelManifestJson.Parse(Encoding.UTF8.GetBytes(sigmoidJson))!.OutputActivation);
        Assert.Equal(OutputActivation.Softmax, ModelManifestJson.Parse(Encoding.UTF8.GetBytes(softmaxJson))!.OutputActivation);
        Assert.False(ModelContent.Same(sigmoid, softmax));
        Assert.Null(ModelManifestJson.Parse(Encoding.UTF8.GetBytes(sigmoidJson.Replace("\"sigmoid\"", "\"tanh\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Sigmoid_probabilities_are_one_per_class_and_stable_at_large_logits()
    {
        var p = ClassProbabilities.Of([0f, 2f, -2f, 800f, -800f], OutputActivation.Sigmoid);

        Assert.Equal([0.5, 1 / (1 + Math.Exp(-2)), 1 / (1 + Math.Exp(2)), 1, 0], p, new ToleranceComparer(1e-12));
        Assert.Equal(Softmax.Of([1f, 2f]), ClassProbabilities.Of([1f, 2f], OutputActivation.Softmax));
    }

    private static ModelManifest Classifier(OutputActivation activation) => new(
        "lesions", 1, ModelTask.Classification,
        new ModelInputSpec(1, 48, 48, InputNormalization.Window(1), false),
        [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)],
        new ClassificationSection(["blob", "thin", "tiny"], ["layer2"], activation), null, "job_1", "synthetic:lesions",
        new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string> { [ModelManifest.OnnxFileName] = "aa" });

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
