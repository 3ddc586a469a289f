using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Classifier;

/// <summary>
/// The cause of a demo run that died with "For integral input tensors, argument alpha must not be a floating
/// point number" while tests shared its process: TorchSharp's BatchNorm2d does <c>num_batches_tracked.add_(1)</c>
/// through temporary Scalars that a concurrent GC may finalize (free) while libtorch reads them. Forcing
/// collections on another thread makes that likely within a few thousand steps; with
/// <c>nn.BatchNorm2d</c> in place of <see cref="KeptAliveBatchNorm2d"/> the first test fails with that message.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class KeptAliveBatchNorm2dTests
{
    private static async Task UnderGcPressureAsync(Action body)
    {
        using var done = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                GC.Collect(0); // the temporaries are young; the finalizer thread then frees them concurrently
            }
        });
        try
        {
            body();
        }
        finally
        {
            await done.CancelAsync();
            await collector;
        }
    }

    [Fact]
    public async Task Training_mode_forwards_survive_a_gc_finalizing_on_another_thread()
    {
        using var norm = new KeptAliveBatchNorm2d(2);
        norm.train();
        using var input = randn(2, 2, 3, 3);
        const int Forwards = 20_000;

        await UnderGcPressureAsync(() =>
        {
            for (var i = 0; i < Forwards; i++)
            {
                using var scope = NewDisposeScope();
                norm.call(input);
            }
        });

        Assert.Equal(Forwards, norm.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Every_batchnorm_of_the_resnet_classifier_keeps_its_scalars_alive()
    {
        // A whole ResNet under the collector above takes minutes on two cores; what matters is that no layer
        // falls back to TorchSharp's own BatchNorm2d, whose num_batches_tracked update is the exposed one.
        using var model = new ResNetClassifier(1, 8, 8, classes: 2, baseWidth: 2, depth: 2);

        var norms = model.modules().Where(m => m.GetType().Name.Contains("BatchNorm", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(norms);
        Assert.All(norms, m => Assert.IsType<KeptAliveBatchNorm2d>(m));
    }

    [Fact]
    public void It_matches_torchsharps_batchnorm2d_in_training_and_evaluation_with_the_same_state_names()
    {
        using var ours = new KeptAliveBatchNorm2d(3);
        using var theirs = nn.BatchNorm2d(3);
        using var scope = NewDisposeScope();
        var input = randn(4, 3, 5, 5, generator: new Generator(7)) * 3 + 1;

        var trained = (ours.call(input), theirs.call(input));
        ours.eval();
        theirs.eval();
        var evaluated = (ours.call(input), theirs.call(input));

        Assert.Equal(theirs.state_dict().Keys, ours.state_dict().Keys);
        Assert.True(trained.Item1.allclose(trained.Item2) && evaluated.Item1.allclose(evaluated.Item2));
        var expected = theirs.state_dict();
        Assert.All(ours.state_dict(), kv => Assert.True(kv.Value.to_type(ScalarType.Float64).allclose(expected[kv.Key].to_type(ScalarType.Float64)), kv.Key));
    }
}
