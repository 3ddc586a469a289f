using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Explaining;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class TorchExplainableModelTests
{
    private static TorchExplainableModel Model()
    {
        var network = new ResNetClassifier(1, 16, 16, classes: 2, baseWidth: 8, depth: 2, stemStride: 2);
        network.InitializeWeights(5);
        return new TorchExplainableModel(network);
    }

    private static float[] Images(int batch) =>
        [.. Enumerable.Range(0, batch * 256).Select(i => (float)Math.Sin(i * 0.37))];

    [Fact]
    public void The_gradient_of_a_gap_linear_head_is_the_head_weight_over_the_pooled_area_and_the_head_alone_repeats_the_logits()
    {
        using var model = Model();
        var x = Images(2);

        var forward = model.Forward(x, 2);
        var pass = model.Gradients(x, 2, [1, -1]);

        var a = pass.ActivationShape!.Value;
        Assert.Equal((16, 4, 4), (a.Channels, a.Height, a.Width));
        Assert.Equal(forward.Logits, pass.Logits);
        Assert.Equal(pass.Logits[2] > pass.Logits[3] ? 0 : 1, pass.Targets[1]);
        for (var n = 0; n < 2; n++)
        {
            var w = model.HeadWeights(pass.Targets[n]);
            for (var k = 0; k < a.Channels; k++)
            {
                for (var p = 0; p < a.Height * a.Width; p++)
                {
                    Assert.Equal(w[k] / (a.Height * a.Width), pass.ActivationGradients![(n * a.ItemSize) + (k * a.Height * a.Width) + p], 6);
                }
            }
        }

        var head = model.HeadLogits(forward.Activations!, 2);
        Assert.True(head.Zip(forward.Logits).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        Assert.Equal(2 * 256, pass.InputGradients.Length);
        Assert.Contains(pass.InputGradients, g => g != 0);
    }

    [Fact]
    public void Every_saliency_method_runs_on_it_and_no_tensor_outlives_a_call()
    {
        using var model = Model();
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var context = new ExplanationContext(model, Images(1), 1, new SaliencyOptions { RiseMasks = 64, SmoothGradSamples = 4, IntegratedGradientsSteps = 4 });

        foreach (var method in SaliencyMethods.All)
        {
            Assert.True(SaliencyMethods.Supports(method, model), method.Name);
            var map = method.Compute(context);
            Assert.Equal(16 * 16, map.Raw.Length);
        }

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
