using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Segmentation;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests;

/// <summary>
/// The regression test of OneDnnIsa (libtorch's oneDNN convolutions off): with them, 3–13 of these 20 backward passes
/// gave NaN gradients on the AMD EPYC CI machine (EXPLAINAPI_TORCH_MKLDNN=1 brings them back).
/// </summary>
public sealed class OneDnnIsaTests
{
    [Fact]
    public void Backward_passes_of_a_small_unet_give_finite_gradients()
    {
        var broken = new List<int>();
        for (var trial = 0; trial < 20; trial++)
        {
            using var scope = NewDisposeScope();
            using var model = new UNetSegmenter(1, 4, 8, 2);
            SeededInitialization.Apply(model, trial);
            model.train();
            using var generator = new Generator((ulong)trial);
            var loss = nn.functional.cross_entropy(model.call(randn([4, 1, 48, 48], generator: generator)), randint(0, 4, [4, 48, 48], generator: generator));
            loss.backward();
            if (model.parameters().Any(p => p.grad is { } g && !g.isfinite().all().item<bool>()))
            {
                broken.Add(trial);
            }
        }

        Assert.Empty(broken);
    }
}
