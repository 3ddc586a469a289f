using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using ExplainApi.Host.Demo;
using ExplainApi.Host.Jobs;
using ExplainApi.Torch;
using ExplainApi.Torch.Training.CycleGan;
using ExplainApi.Torch.Training.VaGan;
using TorchSharp;

namespace ExplainApi.Bench;

/// <summary>
/// What 100 generator steps of a GAN trainer cost in steady state. <see cref="StepCosts"/>: the median step per number of
/// critic steps it runs (CycleGAN: one kind, keyed 0); <see cref="Per100"/> = Σ over the schedule of 100 steps of their
/// costs + validations (every <see cref="ValidateEvery"/> steps) × the validation's cost. <see cref="WholeRun"/>: the same sum
/// over every step of a whole run of the given length, with its image building (VA-GAN's demo run).
/// </summary>
public sealed record GanTrainingResult(
    string Model, string Dataset, int BatchSize, int Threads, int TimedSteps, IReadOnlyDictionary<int, Cost> StepCosts,
    IReadOnlyDictionary<int, int> Schedule, Cost Validation, int ValidateEvery, Cost Per100, Cost Prefill, string Note)
{
    public (int Steps, Cost Cost)? WholeRun { get; init; }
}

/// <summary>
/// Runs the real trainers in this process (the job's code path minus the queue) for a few steps and times every step
/// from their progress reports (<see cref="StepTimeline"/>). Only the run length changes; a shortened run validates
/// once, after its last step, which gives the validation's cost. Checkpoints (every
/// <see cref="JobsOptions.CheckpointEverySteps"/> in the service) and the final export are not in the figures.
/// </summary>
public static class GanTrainingBenchmark
{
    /// <summary>
    /// VA-GAN with the demo's options. The demo's schedule is long critic runs at step 0, in the first warm-up steps and at
    /// every 100th step, else the short one (<see cref="VaGanOptions.CriticStepsAt"/>); the warm-up steps give the long
    /// run's cost, the steps after them the short one's. Every image is built before the clock starts (the trainer
    /// memoises them, and a long run reaches that state within its warm-up), so steps cost what they cost later.
    /// </summary>
    public static GanTrainingResult VaGan(int count, int timedSteps, bool quick, string work, TextWriter log)
    {
        var demo = DemoProfile.VaGanOptions("unused");
        demo.Remove("classifier"); // the link changes what is registered, not what is trained
        var options = VaGanOptions.From(demo);
        var warmup = quick ? 1 : options.WarmupSteps; // --quick: step 0's long critic run only, a smoke check
        demo["warmupSteps"] = warmup;
        demo["iterations"] = warmup + timedSteps;
        var (dataset, prefill) = Prefilled(new SquaresDataset(count, SquaresDataset.DefaultSize));
        log.WriteLine($"  VA-GAN: {count} images built in {prefill.WallSeconds:0.0} s; {warmup} warm-up + {timedSteps} timed steps");
        var timeline = Train(dataset, demo, work, run => VaGanTrainer.Train(run, CancellationToken.None).Graphs.Count);

        // Step 0 also builds the networks and the first batches: the long run's cost is from the warm-up steps after it.
        var costs = new Dictionary<int, Cost>
        {
            [options.WarmupCriticSteps] = timeline.MedianStep(warmup > 1 ? 1 : 0, warmup),
            [options.CriticSteps] = timeline.MedianStep(warmup, warmup + timedSteps),
        };
        var result = Result($"VA-GAN (demo options{(quick ? $", warm-up {warmup} (quick)" : "")})", dataset, options.BatchSize, timedSteps, costs,
            options.CriticStepCounts(100, 100), timeline, options.ValidateEvery, prefill,
            $"critic steps per generator step: {options.WarmupCriticSteps} at step 0, in the first {options.WarmupSteps} and every 100th, else {options.CriticSteps}");
        var validations = (options.Iterations + options.ValidateEvery - 1) / options.ValidateEvery; // and after the last step
        var whole = Sum(options.CriticStepCounts(0, options.Iterations), costs) + (validations * result.Validation) + prefill;
        return result with { WholeRun = (options.Iterations, whole) };
    }

    /// <summary>CycleGAN with its default (cpu profile) options: every step costs the same (batch 1, the paper's).</summary>
    public static GanTrainingResult CycleGan(int count, int size, int timedSteps, string work, TextWriter log)
    {
        const int FirstSteps = 2;
        var options = CycleGanOptions.From(null);
        var json = new JsonObject { ["iterations"] = FirstSteps + timedSteps, ["decayIterations"] = 0 };
        var dataset = new SquaresDataset(count, size);
        log.WriteLine($"  CycleGAN {size}²: {FirstSteps} first + {timedSteps} timed steps");
        var timeline = Train(dataset, json, work, run => CycleGanTrainer.Train(run, CancellationToken.None).Graphs.Count);
        var costs = new Dictionary<int, Cost> { [0] = timeline.MedianStep(FirstSteps, FirstSteps + timedSteps) };
        return Result("CycleGAN (default cpu options)", dataset, options.BatchSize, timedSteps, costs, new Dictionary<int, int> { [0] = 100 },
            timeline, options.ValidateEvery, default,
            $"generator width {options.GeneratorWidth}, {options.BlocksFor(size, size)} residual blocks, discriminator width {options.DiscriminatorWidth}; images built as drawn (2 per step)");
    }

    private static StepTimeline Train(IDataset dataset, JsonObject options, string work, Func<TrainingRun, int> train)
    {
        // The service configures libtorch's threads once at startup (TorchRuntime.Initialize); VA-GAN's trainer does it again.
        TorchRuntime.ConfigureThreads();
        var folder = Directory.CreateDirectory(Path.Combine(work, "train-" + Guid.NewGuid().ToString("N"))).FullName;
        var timeline = new StepTimeline();
        var run = new TrainingRun("bench", options, dataset, Directory.CreateDirectory(Path.Combine(folder, "work")).FullName, Path.Combine(folder, "output"),
            new JobsOptions().CheckpointEverySteps, timeline);
        train(run);
        Directory.Delete(folder, recursive: true);
        return timeline;
    }

    private static GanTrainingResult Result(string model, IDataset dataset, int batchSize, int timedSteps, Dictionary<int, Cost> costs,
        IReadOnlyDictionary<int, int> schedule, StepTimeline timeline, int validateEvery, Cost prefill, string note)
    {
        var validation = timeline.Validations[^1].Cost;
        var per100 = Sum(schedule, costs) + (100.0 / validateEvery * validation);
        return new GanTrainingResult(model, dataset.Reference, batchSize, torch.get_num_threads(), timedSteps, costs, schedule, validation, validateEvery,
            per100, prefill, note);
    }

    private static Cost Sum(IReadOnlyDictionary<int, int> schedule, Dictionary<int, Cost> costs) =>
        schedule.Aggregate(new Cost(0, 0), (sum, kind) => sum + (kind.Value * costs[kind.Key]));

    private static (MemoizedDataset Dataset, Cost Prefill) Prefilled(IDataset dataset)
    {
        var memoized = new MemoizedDataset(dataset, MemoizedDataset.DefaultBudgetBytes);
        var (wall, cpu) = (System.Diagnostics.Stopwatch.StartNew(), Environment.CpuUsage.TotalTime);
        for (var i = 0; i < dataset.Count; i++)
        {
            _ = memoized.Get(i);
        }

        return (memoized, new Cost(wall.Elapsed.TotalSeconds, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds));
    }
}
