using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class DifferenceDetectorOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 32, 32, 4, 2, 3, 2)]
    [InlineData(3, 16, 24, 8, 1, 4, 1)]
    public void ONNX_Runtime_reproduces_both_eval_mode_detector_logits_from_one_run(int channels, int height, int width, int netWidth, int depth, int classes, int batch)
    {
        using var segmenter = new UNetSegmenter(channels, classes, netWidth, depth);
        using var detector = new DifferenceDetector(netWidth, classes);
        SeededInitialization.Apply(segmenter, 7);
        SeededInitialization.Apply(detector, 8);
        var x = OnnxRun.RandomValues(batch * 17 + height, batch, channels, height, width);
        var (knowledge, advice) = (RandomLabels(1, batch * height * width, classes), RandomLabels(2, batch * height * width, classes));
        MoveBatchNormStatistics(segmenter, detector, x, knowledge, batch, channels, height, width);
        segmenter.eval();
        detector.eval();
        float[] dK, dA;
        using (no_grad())
        using (NewDisposeScope())
        {
            var (_, early, head) = segmenter.ForwardWithFeatures(tensor(x, [batch, channels, height, width]));
            var shared = detector.Features(early, head);
            (dK, dA) = (OnnxRun.Values(detector.Detect(shared, tensor(knowledge, [batch, height, width]))),
                OnnxRun.Values(detector.Detect(shared, tensor(advice, [batch, height, width]))));
        }

        var onnx = DifferenceDetectorOnnx.Export(segmenter, detector, height, width);
        var result = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])>
        {
            [DifferenceDetectorOnnxContract.Input] = (x, [batch, channels, height, width]),
            [DifferenceDetectorOnnxContract.Knowledge] = (OneHot(knowledge, batch, classes, height * width), [batch, classes, height, width]),
            [DifferenceDetectorOnnxContract.Advice] = (OneHot(advice, batch, classes, height * width), [batch, classes, height, width]),
        }, null, DifferenceDetectorOnnxContract.KnowledgeLogits, DifferenceDetectorOnnxContract.AdviceLogits);

        OnnxRun.AssertClose("d_K", dK, result[DifferenceDetectorOnnxContract.KnowledgeLogits], [batch, 1, height, width], output);
        OnnxRun.AssertClose("d_A", dA, result[DifferenceDetectorOnnxContract.AdviceLogits], [batch, 1, height, width], output);
        Assert.True(dK.Zip(dA).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the two masks must give different logits, or the test compares one branch twice");
    }

    private static long[] RandomLabels(int seed, int count, int classes)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(classes))];
    }

    private static float[] OneHot(long[] labels, int batch, int classes, int plane)
    {
        var values = new float[batch * classes * plane];
        for (var n = 0; n < batch; n++)
        {
            for (var p = 0; p < plane; p++)
            {
                values[(((n * classes) + (int)labels[(n * plane) + p]) * plane) + p] = 1;
            }
        }
        return values;
    }

    /// <summary>Training-mode passes so the BatchNorm running statistics (folded by the exporter) are not the identity.</summary>
    private static void MoveBatchNormStatistics(UNetSegmenter segmenter, DifferenceDetector detector, float[] x, long[] labels, int batch, int channels, int height, int width)
    {
        segmenter.train();
        detector.train();
        using var noGrad = no_grad();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            var input = tensor(x, [batch, channels, height, width]) * (1 + i);
            var (_, early, head) = segmenter.ForwardWithFeatures(input);
            detector.Detect(detector.Features(early, head), tensor(labels, [batch, height, width]));
        }
    }
}
