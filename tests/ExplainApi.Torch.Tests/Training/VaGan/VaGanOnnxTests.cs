using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.VaGan;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.VaGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class VaGanOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 32, 32, 4, 1)]
    [InlineData(1, 40, 48, 4, 3)]
    [InlineData(3, 32, 32, 8, 2)]
    public void ONNX_Runtime_reproduces_the_eval_mode_translation_tanh_of_input_plus_map(int channels, int height, int width, int generatorWidth, int batch)
    {
        using var generator = new MapGenerator(channels, generatorWidth);
        SeededInitialization.Apply(generator, 7);
        MoveBatchNormStatistics(generator, channels, height, width);
        generator.eval();
        var x = Random(batch, channels, height, width);
        float[] expected;
        using (no_grad())
        using (NewDisposeScope())
        {
            var input = tensor(x, [batch, channels, height, width]);
            expected = WassersteinLosses.Translate(input, generator.call(input)).data<float>().ToArray();
        }

        var onnx = VaGanOnnx.Export(generator, height, width, "abnormal", "normal");
        var result = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])> { [DifferenceMapOnnxContract.Input] = (x, [batch, channels, height, width]) },
            null, DifferenceMapOnnxContract.Translated)[DifferenceMapOnnxContract.Translated];

        Assert.Equal([batch, channels, height, width], result.Shape);
        var error = expected.Zip(result.Floats).Max(p => Math.Abs(p.First - p.Second));
        output.WriteLine($"max-abs {error:E2}; translation differs from the input by up to {expected.Zip(x).Max(p => Math.Abs(p.First - p.Second)):F3}");
        Assert.True(error <= 1e-4, $"max-abs {error}");
    }

    /// <summary>A few training-mode passes so the BatchNorm running statistics (folded by the exporter) are not the identity.</summary>
    private static void MoveBatchNormStatistics(MapGenerator generator, int channels, int height, int width)
    {
        generator.train();
        using var noGrad = no_grad();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            generator.call(tensor(Random(4, channels, height, width), [4, channels, height, width]));
        }
    }

    private static float[] Random(int batch, int channels, int height, int width)
    {
        var random = new Random(batch * 31 + height);
        return [.. Enumerable.Range(0, batch * channels * height * width).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }
}
