using ExplainApi.Core.Models;
using ExplainApi.Onnx;

namespace ExplainApi.Bench;

/// <summary>The service at one batching setting, beside the raw ceilings of the same model.</summary>
public sealed record BatchingRun(bool Batching, IReadOnlyList<ServiceResult> Service);

/// <summary>
/// Issue 11 items 3 and 6: raw ORT forward and forward + backward under the thread plans one could pick on this machine
/// (runs × intra-op threads, and ORT's default of every core per run), then the service (cam, Grad-CAM at 1/8/32 clients)
/// started once with dynamic batching off and once on (ExplainApi__Batching__Enabled), against the raw batched passes.
/// </summary>
public static class BatchingBenchmark
{
    public static readonly string[] Methods = ["cam", "gradcam"];

    /// <summary>`./bench.sh --only-batching`: this section alone, on its own copy of the 1×112² model.</summary>
    public static async Task RunAloneAsync(BenchReport report, BenchSettings settings, string work, string? hostDll, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var registry = new FileModelRegistry(Path.Combine(work, "models"));
        using var model = await BenchModel.LoadAsync(registry,
            await BenchModel.RegisterAsync(registry, "resnet-112", 1, 112, BenchRun.DefaultWidth, Path.Combine(work, "exports")), settings.Accelerator);
        var host = hostDll ?? BenchRun.DefaultHostDll();
        if (!File.Exists(host))
        {
            throw new FileNotFoundException($"{host} not found; build src/ExplainApi.Host (Release) or pass --host.", host);
        }

        await RunAsync(report, settings, model, work, host, log);
    }

    public static async Task RunAsync(BenchReport report, BenchSettings settings, BenchModel model, string work, string host, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var cores = Environment.ProcessorCount;
        var duration = settings.ForwardBudget;
        log.WriteLine("Thread plan (raw ORT, batch 16)");
        var planResults = new List<RawPassResult>();
        foreach (var pass in new[] { RawPassThroughput.Forward, RawPassThroughput.ForwardBackward })
        {
            // One run owning the cores (threads sleeping or spinning when idle), one run per core, and the old default: every run a pool of every core.
            OrtThreadPlan?[] plans = [OrtThreadPlan.For(cores, 1), OrtThreadPlan.For(cores, 1, allowSpinning: true), OrtThreadPlan.For(cores, cores), null, null];
            foreach (var (plan, runs) in plans.Zip<OrtThreadPlan?, int>([1, 1, cores, cores, 1]))
            {
                var result = RawPassThroughput.Measure(model, pass, 16, plan, runs, duration, settings.Accelerator);
                log.WriteLine($"  {pass}, {result.Plan}, {runs} concurrent: {result.ImagesPerSecond:0.0} images/s");
                planResults.Add(result);
            }
        }

        BatchingTables.ThreadPlans(report, model, planResults, duration);

        var runsOut = new List<BatchingRun>();
        foreach (var batching in new[] { false, true })
        {
            log.WriteLine($"Service, dynamic batching {(batching ? "on" : "off")}");
            var environment = new Dictionary<string, string> { ["ExplainApi__Batching__Enabled"] = batching ? "true" : "false" };
            var results = await ServiceBenchmark.RunAsync(host, Path.Combine(work, batching ? "batching-on" : "batching-off"), 1, 112, BenchRun.DefaultWidth,
                Methods, settings, log, environment);
            runsOut.Add(new BatchingRun(batching, results));
        }

        // The ceilings right after the load levels (the shared machine's load drifts), under the service's default thread plan
        // (one single-threaded run per processor, all busy), at the batch sizes a dynamic batch reaches.
        var servicePlan = OrtThreadPlan.For(cores, cores);
        var raw = new[] { RawPassThroughput.Forward, RawPassThroughput.ForwardBackward }
            .SelectMany(pass => new[] { 1, 4, 8, 16, 32 }.Select(batch => RawPassThroughput.Measure(model, pass, batch, servicePlan, cores, duration, settings.Accelerator)))
            .ToList();
        raw.ForEach(r => log.WriteLine($"  raw {r.Pass} batch {r.Batch}: {r.ImagesPerSecond:0.0} images/s"));
        BatchingTables.Service(report, model, runsOut, raw, settings);
    }
}
