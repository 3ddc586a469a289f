using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests;

/// <summary>Every batch and every inference runs in a dispose scope; these prove that the pattern frees everything.</summary>
public sealed class DisposeScopeTests
{
    [Fact]
    public void A_training_step_inside_a_dispose_scope_leaves_no_live_tensors()
    {
        random.manual_seed(1);
        using var model = new TinyConvNet();
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var before = LiveTensors();

        using (NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = model.call(randn(4, 1, 4, 4)).square().mean();
            loss.backward();
            optimizer.step();
        }

        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void An_inference_inside_a_dispose_scope_leaves_no_live_tensors_except_the_one_moved_out()
    {
        random.manual_seed(2);
        using var model = new TinyConvNet();
        model.eval();
        var before = LiveTensors();

        Tensor probabilities;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            probabilities = scope.MoveToOuter(model.call(randn(3, 1, 4, 4)).softmax(1));
        }

        Assert.Equal(before + 1, LiveTensors());
        Assert.Equal([3L, 3L], probabilities.shape);
        probabilities.Dispose();
        Assert.Equal(before, LiveTensors());
    }

    // Thread-local counts, so tests running in parallel on other threads do not disturb them.
    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
}
