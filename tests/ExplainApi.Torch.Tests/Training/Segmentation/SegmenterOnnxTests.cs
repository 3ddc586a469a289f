using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class SegmenterOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 32, 32, 4, 2, 4, 1)]
    [InlineData(1, 48, 40, 8, 3, 4, 3)]
    [InlineData(3, 16, 16, 4, 1, 2, 2)]
    public void ONNX_Runtime_reproduces_the_eval_mode_logits_and_their_softmax(int channels, int height, int width, int netWidth, int depth, int classes, int batch)
    {
        using var segmenter = new UNetSegmenter(channels, classes, netWidth, depth);
        SeededInitialization.Apply(segmenter, 7);
        MoveBatchNormStatistics(segmenter, channels, height, width);
        segmenter.eval();
        var x = OnnxRun.RandomValues(batch * 31 + height, batch, channels, height, width);
        float[] logits, probabilities;
        using (no_grad())
        using (NewDisposeScope())
        {
            var output = segmenter.call(tensor(x, [batch, channels, height, width]));
            Assert.Equal([batch, classes, height, width], output.shape);
            (logits, probabilities) = (OnnxRun.Values(output), OnnxRun.Values(output.softmax(1)));
        }

        var onnx = SegmenterOnnx.Export(segmenter, height, width);
        var result = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])> { [SegmentationOnnxContract.Input] = (x, [batch, channels, height, width]) },
            null, SegmentationOnnxContract.Logits, SegmentationOnnxContract.Probabilities);

        Assert.Equal([batch, classes, height, width], result[SegmentationOnnxContract.Logits].Shape);
        var logitError = logits.Zip(result[SegmentationOnnxContract.Logits].Floats).Max(p => Math.Abs(p.First - p.Second));
        var probabilityError = probabilities.Zip(result[SegmentationOnnxContract.Probabilities].Floats).Max(p => Math.Abs(p.First - p.Second));
        output.WriteLine($"max-abs logits {logitError:E2} (logits up to {logits.Max(Math.Abs):F2}), probabilities {probabilityError:E2}");
        Assert.True(logitError <= 1e-4, $"logits max-abs {logitError}");
        Assert.True(probabilityError <= 1e-4, $"probabilities max-abs {probabilityError}");
    }

    [Fact]
    public void The_weight_names_are_the_stages_and_their_block_indices()
    {
        using var segmenter = new UNetSegmenter(1, 4, 4, 2);
        var names = segmenter.named_parameters().Select(p => p.name).ToHashSet();

        Assert.Contains("stem.0.weight", names);
        Assert.Contains("down.1.3.weight", names);
        Assert.Contains("up.0.1.weight", names);
        Assert.Contains("dec.1.4.bias", names);
        Assert.Contains("head.weight", names);
    }

    [Fact]
    public void A_size_not_divisible_by_two_to_the_depth_is_refused_by_the_contract()
    {
        using var segmenter = new UNetSegmenter(1, 3, 4, 2);
        Assert.ThrowsAny<ArgumentException>(() => SegmenterOnnx.Export(segmenter, 18, 16));
    }

    /// <summary>A few training-mode passes so the BatchNorm running statistics (folded by the exporter) are not the identity.</summary>
    private static void MoveBatchNormStatistics(UNetSegmenter segmenter, int channels, int height, int width)
    {
        segmenter.train();
        using var noGrad = no_grad();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            segmenter.call(tensor(OnnxRun.RandomValues(100 + i, 4, channels, height, width), [4, channels, height, width]));
        }
    }
}
