using ExplainApi.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>The shared checkpoint content: two networks, two Adam states and counters survive a save and a load.</summary>
public sealed class CheckpointContentTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("explainapi-content-").FullName;

    [Fact]
    public void Two_networks_two_Adam_states_and_scalars_are_restored_exactly_under_their_prefixes()
    {
        using var g = new TinyConvNet();
        using var d = new TinyConvNet();
        using var gAdam = Adam(g);
        using var dAdam = Adam(d);
        Train(g, gAdam, 2);
        Train(d, dAdam, 5);
        var counter = 42.0;
        Content(g, gAdam, d, dAdam, () => counter, _ => { }).Capture("fp", 7, 0, 9).Save(work);

        using var g2 = new TinyConvNet();
        using var d2 = new TinyConvNet();
        using var gAdam2 = Adam(g2);
        using var dAdam2 = Adam(d2);
        var restored = 0.0;
        var checkpoint = TrainingCheckpoint.Load(work)!;
        Content(g2, gAdam2, d2, dAdam2, () => 0, v => restored = v).Restore(checkpoint);

        Assert.Contains(checkpoint.Tensors, t => t.Name == "critic_adam.exp_avg_sq.fc.weight");
        Assert.Equal((7L, 9UL), (checkpoint.Step, checkpoint.ShuffleState));
        Assert.Equal((42.0, 2L, 5L), (restored, gAdam2.Steps, dAdam2.Steps));
        Assert.Equal(Flat(g, gAdam), Flat(g2, gAdam2));
        Assert.Equal(Flat(d, dAdam), Flat(d2, dAdam2));
        Assert.NotEqual(Flat(g, gAdam), Flat(d, dAdam));
    }

    [Fact]
    public void A_checkpoint_without_a_declared_scalar_is_refused()
    {
        using var g = new TinyConvNet();
        new CheckpointContent().Module("generator.", g).Capture("fp", 0, 0, 0).Save(work);

        var ex = Assert.Throws<TrainingCheckpointException>(() =>
            new CheckpointContent().Module("generator.", g).Scalar("best_step", () => 0, _ => { }).Restore(TrainingCheckpoint.Load(work)!));

        Assert.Contains("best_step", ex.Message);
    }

    private static CheckpointContent Content(TinyConvNet g, KeptAliveAdam gAdam, TinyConvNet d, KeptAliveAdam dAdam, Func<double> get, Action<double> set) =>
        new CheckpointContent()
            .Module("generator.", g).Module("critic.", d)
            .Adam("generator_adam.", gAdam, Names(g)).Adam("critic_adam.", dAdam, Names(d))
            .Scalar("counter", get, set);

    private static KeptAliveAdam Adam(TinyConvNet model) => new(model.parameters(), 0.01, 0.0, 0.9, 0);

    private static string[] Names(TinyConvNet model) => [.. model.named_parameters().Select(p => p.name)];

    private static void Train(TinyConvNet model, KeptAliveAdam adam, int steps)
    {
        var generator = new Generator(1).manual_seed(steps);
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            adam.ZeroGrad();
            nn.functional.cross_entropy(model.call(rand([4, 1, 4, 4], generator: generator)), tensor(new long[] { 0, 1, 2, 0 })).backward();
            adam.Step();
        }
    }

    private static float[] Flat(TinyConvNet model, KeptAliveAdam adam)
    {
        using var scope = NewDisposeScope();
        return [.. model.parameters().Concat(adam.ExpAvg).Concat(adam.ExpAvgSq).SelectMany(t => t.detach().data<float>().ToArray())];
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
