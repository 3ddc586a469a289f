using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;

namespace ExplainApi.Bench;

/// <summary>
/// The difference-map part (`./bench.sh --difference-maps`, also run by the full bench): latency of the served VA-GAN in
/// process and through the route, then training time of VA-GAN at 112² and CycleGAN at 64² and 128². Steps are sized so that the part takes a few
/// minutes on two cores; --quick runs a few steps of each on a smaller set, a smoke check.
/// </summary>
public static class DifferenceMapBenchRun
{
    /// <param name="Images">Images of the squares set (the demo's: 10 000).</param>
    /// <param name="CycleGanSizes">Image sides of the CycleGAN runs with their timed steps.</param>
    private sealed record Sizing(int Images, int VaGanSteps, (int Size, int Steps)[] CycleGanSizes);

    private static readonly Sizing Full = new(SquaresDataset.DefaultCount, 20, [(64, 60), (128, 30)]);
    private static readonly Sizing Quick = new(2000, 3, [(64, 3), (128, 2)]);

    public static async Task RunAsync(BenchReport report, BenchSettings settings, string work, string? hostDll, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var sizing = settings.Quick ? Quick : Full;

        log.WriteLine("Difference-map latency");
        var dataset = new SquaresDataset(sizing.Images);
        var registry = new FileModelRegistry(Path.Combine(work, "difference-map-models"));
        var manifest = await DifferenceMapModels.RegisterAsync(registry, dataset, Path.Combine(work, "difference-map-exports"));
        IReadOnlyList<DifferenceMapLatency> latency;
        using (var models = await DifferenceMapModels.LoadAsync(registry, manifest, settings.Accelerator))
        {
            latency = DifferenceMapLatencyBenchmark.Run(models, dataset, settings, log);
            DifferenceMapTables.Latency(report, models, latency, settings);
        }

        var host = hostDll ?? BenchRun.DefaultHostDll();
        if (File.Exists(host))
        {
            log.WriteLine("Difference-map route (loopback)");
            DifferenceMapTables.Service(report, await DifferenceMapServiceBenchmark.RunAsync(host, work, dataset, settings, log), latency[0], settings);
        }
        else
        {
            log.WriteLine($"Difference-map route: {host} not found; build src/ExplainApi.Host (Release) or pass --host. Skipped.");
        }

        log.WriteLine("GAN training time");
        var training = new List<GanTrainingResult> { Logged(GanTrainingBenchmark.VaGan(sizing.Images, sizing.VaGanSteps, settings.Quick, work, log), log) };
        foreach (var (size, steps) in sizing.CycleGanSizes)
        {
            training.Add(Logged(GanTrainingBenchmark.CycleGan(sizing.Images, size, steps, work, log), log));
        }

        DifferenceMapTables.Training(report, training);
    }

    private static GanTrainingResult Logged(GanTrainingResult result, TextWriter log)
    {
        log.WriteLine($"    {string.Join(", ", result.StepCosts.Select(c => $"kind {c.Key}: {c.Value.WallSeconds:0.00} s ({c.Value.CpuSeconds:0.00} s CPU)"))}; " +
            $"validation {result.Validation.WallSeconds:0.00} s; per 100 steps {result.Per100.WallSeconds:0.0} s wall, {result.Per100.CpuSeconds:0.0} s CPU ({result.Threads} thread(s))");
        return result;
    }
}
