using ExplainApi.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>Our optimizer steps (which hold their Scalars) against TorchSharp's Adam and SGD on the same model and batches.</summary>
public sealed class KeptAliveOptimizerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Adam_takes_the_same_steps_as_torch_adam(double weightDecay)
    {
        using var ours = Model();
        using var theirs = Model();
        using var adam = new KeptAliveAdam(ours.parameters(), 0.01, 0.9, 0.999, weightDecay);
        using var reference = optim.Adam(theirs.parameters(), 0.01, beta1: 0.9, beta2: 0.999, weight_decay: weightDecay);

        for (var step = 0; step < 12; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = Batch(step);
            adam.ZeroGrad();
            nn.functional.cross_entropy(ours.call(x), y).backward();
            adam.Step();
            reference.zero_grad();
            nn.functional.cross_entropy(theirs.call(x), y).backward();
            reference.step();
        }

        AssertSameParameters(ours, theirs);
        Assert.Equal(12, adam.Steps);
        Assert.True(adam.ExpAvgSq.All(v => v.abs().sum().item<float>() > 0), "the second moments were updated");
    }

    [Fact]
    public void Two_models_start_equal()
    {
        using var a = Model();
        using var b = Model();
        AssertSameParameters(a, b);
    }

    [Fact]
    public void Sgd_takes_the_same_steps_as_torch_sgd_with_weight_decay()
    {
        using var ours = Model();
        using var theirs = Model();
        using var sgd = new KeptAliveSgd(ours.parameters(), 0.05, 0.01);
        using var reference = optim.SGD(theirs.parameters(), 0.05, weight_decay: 0.01);

        for (var step = 0; step < 12; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = Batch(step);
            sgd.ZeroGrad();
            nn.functional.cross_entropy(ours.call(x), y).backward();
            sgd.Step();
            reference.zero_grad();
            nn.functional.cross_entropy(theirs.call(x), y).backward();
            reference.step();
        }

        AssertSameParameters(ours, theirs);
    }

    private static nn.Module<Tensor, Tensor> Model()
    {
        var model = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3));
        using var generator = new Generator(11);
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                p.uniform_(-0.5, 0.5, generator: generator);
            }
        }

        return model;
    }

    private static (Tensor X, Tensor Y) Batch(int step)
    {
        using var generator = new Generator((ulong)(100 + step));
        return (randn(8, 6, generator: generator), randint(0, 3, [8], generator: generator));
    }

    private static void AssertSameParameters(nn.Module<Tensor, Tensor> ours, nn.Module<Tensor, Tensor> theirs)
    {
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            var d = (a - b).abs().max().item<float>();
            Assert.True(d < 1e-6f, $"parameters differ by {d}");
        }
    }
}
