using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Tests.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.CycleGan;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class CycleGanTrainerTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Tiny networks on 32² squares; a higher learning rate than the paper's so that 60 steps show learning.</summary>
    internal static JsonObject TinyOptions(int iterations = 40, int decay = 20) => new()
    {
        ["iterations"] = iterations, ["decayIterations"] = decay, ["batchSize"] = 2, ["generatorWidth"] = 4, ["generatorBlocks"] = 1,
        ["discriminatorWidth"] = 4, ["discriminatorLayers"] = 2, ["learningRate"] = 2e-3, ["poolSize"] = 4, ["validateEvery"] = 20,
        ["validationImages"] = 6, ["seed"] = 3,
    };

    internal static readonly SquaresDataset Squares = new(count: 48, size: 32, seed: 1);

    private readonly TrainingTestRun run = new();

    /// <summary>libtorch threads as the host sets them (half the cores): on a busy 2-core machine two threads ran ~10× slower.</summary>
    private readonly int threads = HostThreads();

    /// <summary>
    /// Plain noise ↔ noise with a bright centre square: after 100 steps G_A paints the square onto plain images (its output
    /// is brighter in the centre than elsewhere), which the untrained generator does not.
    /// </summary>
    [Fact]
    public void A_tiny_run_learns_to_add_the_square_and_exports_both_directions_as_a_difference_map_model()
    {
        var data = new CentreSquareDataset(count: 64, side: 32);

        var options = TinyOptions(iterations: 80, decay: 20);
        options["generatorWidth"] = 8;

        var model = CycleGanTrainer.Train(run.Create(data, options), CancellationToken.None);

        using var trained = Load(run.Output, generatorWidth: 8);
        using var untrained = new CycleGanNetworks(1, 8, 1, 4, 2);
        untrained.InitializeWeights(seed: 3);
        var (after, before) = (CentreContrast(trained.GeneratorA2B, data), CentreContrast(untrained.GeneratorA2B, data));
        output.WriteLine($"{threads} libtorch thread(s); centre − mean of G_A(plain): trained {after:F3}, untrained {before:F3}; {string.Join(", ", model.Metrics.Select(m => $"{m.Key}={m.Value:F3}"))}");
        Assert.True(after > 0.25 && after > before + 0.25, $"G_A adds no square: centre contrast {after} (untrained {before})");

        Assert.Equal(ModelTask.DifferenceMap, model.Task);
        Assert.Equal([("generator", "generator.onnx"), ("generator-b2a", "generator-b2a.onnx")], model.Graphs.Select(g => (g.Role, g.File)));
        var section = model.DifferenceMap!;
        Assert.Equal(("cyclegan", null), (section.Method, section.Classifier));
        Assert.Equal([("a2b", "generator", "plain", "square"), ("b2a", "generator-b2a", "square", "plain")],
            section.Directions.Select(d => (d.Name, d.Graph, d.FromClass, d.ToClass)));
        Assert.Equal((1, 32, 32, DifferenceMapOnnxContract.Input), (model.Input.Channels, model.Input.Height, model.Input.Width, model.Input.InputName));
        Assert.InRange(model.Metrics["bestStep"], 81, 100); // selected in the decay phase only
        Assert.All(model.AllFiles, f => Assert.True(File.Exists(Path.Combine(run.Output, f)), f));

        // The exported A → B graph computes what the kept generator computes.
        var onnx = File.ReadAllBytes(Path.Combine(run.Output, "generator.onnx"));
        var input = data.Get(0).Pixels;
        float[] expected;
        using (NewDisposeScope())
        using (no_grad())
        {
            expected = OnnxRun.Values(trained.GeneratorA2B.call(tensor(input, [1, 1, 32, 32])));
        }
        var actual = OnnxRun.Run(onnx, new Dictionary<string, (float[], long[])> { ["input"] = (input, [1, 1, 32, 32]) }, null, "translated");
        OnnxRun.AssertClose("trained a2b", expected, actual["translated"], [1, 1, 32, 32], output);
    }

    [Theory]
    [InlineData(13, false)] // cancelled between periodic checkpoints at 10 and 20, before the first validation
    [InlineData(25, false)] // cancelled in the decay phase, after the best weights were first kept (step 20)
    [InlineData(27, true)] // dies at step 27 without saving (as kill -9): resumes from the periodic checkpoint at 20
    public void An_interrupted_run_resumes_from_its_checkpoint_and_ends_with_the_uninterrupted_weights(int stopAfter, bool dies)
    {
        using var reference = new TrainingTestRun();
        using (var cancel = new CancellationTokenSource())
        {
            var first = run.Create(Squares, TinyOptions(20, 10), checkpointEverySteps: 10, onReport: p =>
            {
                if (p.Step == stopAfter)
                {
                    if (dies)
                    {
                        throw new OperationCanceledException("the process dies here, saving nothing");
                    }
                    cancel.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => CycleGanTrainer.Train(first, cancel.Token));
        }
        var resumesAt = dies ? stopAfter / 10 * 10 : stopAfter;
        Assert.Equal(resumesAt, TrainingCheckpoint.Load(run.Work)!.Step);
        run.Reports.Clear();

        var resumed = CycleGanTrainer.Train(run.Create(Squares, TinyOptions(20, 10), checkpointEverySteps: 10), CancellationToken.None);
        var uninterrupted = CycleGanTrainer.Train(reference.Create(Squares, TinyOptions(20, 10), checkpointEverySteps: 10), CancellationToken.None);

        Assert.True(run.Reports[0].ResumedFromCheckpoint);
        Assert.Equal(resumesAt + 1, run.Reports[0].Step);
        Assert.Equal(uninterrupted.Metrics["bestStep"], resumed.Metrics["bestStep"]);
        Assert.Equal(uninterrupted.Metrics["validationCycleL1"], resumed.Metrics["validationCycleL1"], 1e-6);
        Assert.InRange(resumed.Metrics["validationMapShareInsideMask.b2a"], 0, 1); // squares have masks
        using var a = Load(run.Output);
        using var b = Load(reference.Output);
        var difference = a.state_dict().Max(p => MaxAbs(p.Value, b.state_dict()[p.Key]));
        Assert.True(difference <= 1e-6, $"weights differ by {difference}");
    }

    [Fact]
    public void The_checkpoint_holds_all_four_networks_three_Adam_states_both_pools_and_the_step()
    {
        using var cancel = new CancellationTokenSource();
        var first = run.Create(Squares, TinyOptions(), checkpointEverySteps: 1000, onReport: p =>
        {
            if (p.Step == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => CycleGanTrainer.Train(first, cancel.Token));

        var checkpoint = TrainingCheckpoint.Load(run.Work)!;
        var names = checkpoint.Tensors.Select(t => t.Name).ToList();
        Assert.Equal(3, checkpoint.Step);
        foreach (var prefix in new[] { "net.netG_A.", "net.netG_B.", "net.netD_A.", "net.netD_B.", "adam_G.exp_avg.netG_B.", "adam_D_A.exp_avg_sq.", "adam_D_B.exp_avg." })
        {
            Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal));
        }
        Assert.Equal([4L, 1, 32, 32], checkpoint.Tensors.Single(t => t.Name == "pool_A").Shape); // 3 steps × batch 2, capped at 4
        Assert.Equal(3, checkpoint.Scalars["adam_G.steps"]);
    }

    internal static CycleGanNetworks Load(string output, int generatorWidth = 4)
    {
        var networks = new CycleGanNetworks(1, generatorWidth, 1, 4, 2);
        networks.load(Path.Combine(output, ModelManifest.WeightsFileName));
        return networks;
    }

    /// <summary>Mean of G(x) in the centre 8×8 minus its mean over the image, on 8 plain images.</summary>
    private static double CentreContrast(ResnetGenerator generator, CentreSquareDataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var translated = generator.call(ClassificationBatches.Load(data, [0, 2, 4, 6, 8, 10, 12, 14]).Inputs);
        return translated[.., .., 12..20, 12..20].mean().item<float>() - translated.mean().item<float>();
    }

    private static double MaxAbs(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a - b).abs().max().item<float>();
    }

    private static int HostThreads()
    {
        TorchRuntime.ConfigureThreads();
        return get_num_threads();
    }

    public void Dispose() => run.Dispose();
}
