using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests;

/// <summary>
/// The regression test of OneDnnIsa: float32 convolution gradients of a small U-Net, as training computes them, agree
/// with a float64 reference (ATen's convolution; oneDNN has no float64) within 5 % of each tensor's largest entry. With
/// EXPLAINAPI_TORCH_MKLDNN=1 ONEDNN_MAX_CPU_ISA=AVX512_CORE, 39 of 40 passes failed on the AMD EPYC CI machine; float32
/// rounding alone stays ≤ 1.5 %. (oneDNN at SSE4.1 passes it, and the seeded multi-label and VA-GAN learning tests fail.)
/// </summary>
public sealed class OneDnnIsaTests
{
    [Fact]
    public void Convolution_gradients_agree_with_a_float64_reference()
    {
        var broken = new List<(int Trial, double Error)>();
        for (var trial = 0; trial < 20; trial++)
        {
            var error = WorstRelativeError(Gradients(trial, ScalarType.Float32), Gradients(trial, ScalarType.Float64));
            if (!(error <= 0.05))
            {
                broken.Add((trial, error));
            }
        }

        Assert.True(broken.Count == 0, $"{OneDnnIsa.Mode}: {string.Join(", ", broken)}");
    }

    private static float[][] Gradients(int trial, ScalarType type)
    {
        using var scope = NewDisposeScope();
        using var model = new UNetSegmenter(1, 4, 8, 2);
        SeededInitialization.Apply(model, trial);
        model.to(type).train();
        using var generator = new Generator((ulong)trial);
        var input = randn([4, 1, 48, 48], generator: generator).to(type);
        var loss = nn.functional.cross_entropy(model.call(input), randint(0, 4, [4, 48, 48], generator: generator));
        loss.backward();
        return [.. model.parameters().Select(p => p.grad!.to(ScalarType.Float32).data<float>().ToArray())];
    }

    private static double WorstRelativeError(float[][] actual, float[][] reference)
    {
        var worst = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var scale = reference[i].Max(Math.Abs) + 1e-6;
            for (var j = 0; j < actual[i].Length; j++)
            {
                var error = Math.Abs(actual[i][j] - reference[i][j]) / scale;
                worst = double.IsFinite(error) ? Math.Max(worst, error) : double.PositiveInfinity;
            }
        }
        return worst;
    }
}
