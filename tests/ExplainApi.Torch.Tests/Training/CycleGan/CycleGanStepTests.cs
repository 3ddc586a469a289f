using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.CycleGan;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class CycleGanStepTests
{
    [Fact]
    public void A_training_step_leaves_no_live_tensors_once_the_pools_are_full_and_moves_every_network()
    {
        var options = CycleGanOptions.From(CycleGanTrainerTests.TinyOptions());
        using var networks = new CycleGanNetworks(1, 4, 1, 4, 2);
        networks.InitializeWeights(seed: 1);
        using var generators = new KeptAliveAdam(networks.GeneratorA2B.parameters().Concat(networks.GeneratorB2A.parameters()), 2e-4, 0.5, 0.999, 0);
        using var discriminatorB = new KeptAliveAdam(networks.DiscriminatorB.parameters(), 2e-4, 0.5, 0.999, 0);
        using var discriminatorA = new KeptAliveAdam(networks.DiscriminatorA.parameters(), 2e-4, 0.5, 0.999, 0);
        using var step = new CycleGanStep(networks, options, generators, discriminatorB, discriminatorA);
        using var poolA = new ImagePool(options.PoolSize);
        using var poolB = new ImagePool(options.PoolSize);
        var batches = new UnpairedBatches(CycleGanTrainerTests.Squares, [0, 2, 4, 6], [1, 3, 5, 7], options.BatchSize, options.Seed);
        void Run(int index)
        {
            using var scope = NewDisposeScope();
            var (a, b) = batches.Load(index);
            step.Run(a, b, poolA, poolB, UnpairedBatches.For(1, index, UnpairedBatches.PoolAStream), UnpairedBatches.For(1, index, UnpairedBatches.PoolBStream));
        }
        Run(0);
        Run(1); // pools of 4 filled by two batches of 2
        var weights = networks.state_dict().ToDictionary(p => p.Key, p => p.Value.clone().DetachFromDisposeScope());
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Run(2);
        Run(3);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal((4, 4), (poolA.Count, poolB.Count));
        foreach (var network in new[] { "netG_A.", "netG_B.", "netD_A.", "netD_B." })
        {
            using var scope = NewDisposeScope();
            var changed = networks.state_dict().Where(p => p.Key.StartsWith(network, StringComparison.Ordinal))
                .Max(p => (p.Value - weights[p.Key]).abs().max().item<float>());
            Assert.True(changed > 0, $"{network} did not change");
        }
        foreach (var weight in weights.Values)
        {
            weight.Dispose();
        }
    }
}
