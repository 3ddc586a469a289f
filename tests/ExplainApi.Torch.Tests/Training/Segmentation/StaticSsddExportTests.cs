using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training.Segmentation;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>A static-SSDD job exports its detector so that serving, with the manifest's biases, integrates exactly as training did.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class StaticSsddExportTests : IDisposable
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 24, Size = 48, Seed = 5, Background = LesionBackground.Noise });

    private readonly TrainingTestRun _run = new();

    [Fact]
    public async Task The_exported_detector_and_recorded_biases_reproduce_training_s_ssdd_masks()
    {
        using var model = JudgeClassifier.Create();
        var provider = new CountingProvider(model);
        var options = new JsonObject
        {
            ["masks"] = "ssdd", ["classifier"] = "judge", ["crfIterations"] = 3, ["seed"] = 3, ["ssddEpochs"] = 4, ["epochs"] = 1, ["batchSize"] = 8,
            ["width"] = 8, ["depth"] = 2, ["learningRate"] = 3e-3, ["ssddBias"] = 0.2, ["ssddSign"] = "flipped", ["ssddErasedRatio"] = 0.3,
            ["alpha"] = 2, ["crfAppearanceSigma"] = 20,
        };
        var run = _run.Create(Lesions, options) with { Models = new ManifestRegistry(PseudoMaskPhasesTests.Judge()), ExplainableModels = provider };

        var trained = await new SegmentationTrainer().TrainAsync(run, CancellationToken.None);

        Assert.Equal(["segmenter", "ssdd-detector"], trained.Graphs.Select(g => g.Role));
        Assert.Equal(["seed", "crf", "ssdd"], trained.Segmentation!.Stages);
        Assert.Equal(new SsddSection("ssdd-detector", new SsddBiases(0.2, 0.1, 0.3, SsddSign.Flipped)), trained.Segmentation.Ssdd);
        Assert.Equal(new PseudoMaskSettings(2, DenseCrfParameters.Default with { AppearancePositionTheta = 20, Iterations = 3 }), trained.Segmentation.PseudoMasks);

        // Training's stored phases, read back (the classifier is not asked again).
        var phases = new Dictionary<string, IReadOnlyDictionary<int, byte[]>>();
        foreach (var masks in new[] { "seeds", "crf", "ssdd" })
        {
            var phaseOptions = (JsonObject)options.DeepClone();
            phaseOptions["masks"] = masks;
            phases[masks] = (await PseudoMaskPhases.RunAsync(run with { Options = phaseOptions }, SegmentationOptions.From(phaseOptions), CancellationToken.None)).Masks;
        }
        Assert.Equal(1, provider.Calls);

        var indices = phases["ssdd"].Keys.Order().ToArray();
        var onnx = File.ReadAllBytes(Path.Combine(_run.Output, SegmentationTrainer.DetectorFile));
        var detection = new SsddDetection(new OrtDetector(onnx, [.. indices.Select(i => Lesions.Get(i).Pixels)]), trained.Segmentation.Ssdd!.Biases);
        var served = detection.Integrate([.. indices.Select(i => phases["seeds"][i])], [.. indices.Select(i => phases["crf"][i])],
            [.. indices.Select(i => (IReadOnlyCollection<int>)ImageLabels.FromMultiHot(Lesions.LabelsOf(i)))]);

        var differ = indices.Sum(i => phases["seeds"][i].Zip(phases["crf"][i]).Count(p => p.First != p.Second));
        Assert.True(differ > 0, "seed and CRF agree everywhere: the detector would decide nothing");
        for (var n = 0; n < indices.Length; n++)
        {
            Assert.Equal(phases["ssdd"][indices[n]], served[n]);
        }
    }

    public void Dispose() => _run.Dispose();

    /// <summary>The exported graph in ONNX Runtime on fixed images, one-hot K and A as serving builds them.</summary>
    private sealed class OrtDetector(byte[] onnx, IReadOnlyList<float[]> images) : IDifferenceDetector
    {
        public (float[][] Knowledge, float[][] Advice) Detect(IReadOnlyList<byte[]> knowledge, IReadOnlyList<byte[]> advice)
        {
            var (n, size, classes) = (images.Count, Lesions.Height, Lesions.ClassNames.Count + 1);
            var result = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])>
            {
                [DifferenceDetectorOnnxContract.Input] = ([.. images.SelectMany(i => i)], [n, 1, size, size]),
                [DifferenceDetectorOnnxContract.Knowledge] = (OneHot(knowledge, classes), [n, classes, size, size]),
                [DifferenceDetectorOnnxContract.Advice] = (OneHot(advice, classes), [n, classes, size, size]),
            }, null, DifferenceDetectorOnnxContract.KnowledgeLogits, DifferenceDetectorOnnxContract.AdviceLogits);
            float[][] Split(OnnxOutput o) => [.. Enumerable.Range(0, n).Select(i => o.Floats.AsSpan(i * size * size, size * size).ToArray())];
            return (Split(result[DifferenceDetectorOnnxContract.KnowledgeLogits]), Split(result[DifferenceDetectorOnnxContract.AdviceLogits]));
        }

        private static float[] OneHot(IReadOnlyList<byte[]> masks, int classes)
        {
            var plane = masks[0].Length;
            var values = new float[masks.Count * classes * plane];
            for (var n = 0; n < masks.Count; n++)
            {
                for (var p = 0; p < plane; p++)
                {
                    values[(((n * classes) + masks[n][p]) * plane) + p] = 1;
                }
            }
            return values;
        }
    }
}
