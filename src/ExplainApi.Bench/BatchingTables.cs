using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The tables of <see cref="BatchingBenchmark"/>.</summary>
public static class BatchingTables
{
    /// <summary>Issue 11 item 3's bar: service throughput ÷ the raw batched pass of the same model.</summary>
    public const double Target = 0.85;

    public static void ThreadPlans(BenchReport report, BenchModel model, IReadOnlyList<RawPassResult> results, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        report.Table("Thread plan: raw ORT throughput by intra-op threads × concurrent runs",
            $"The {model.Label} model's pruned forward and full forward + backward graph at batch 16, one shared session, that many threads calling Run in a closed loop " +
            $"for {duration.TotalSeconds:0} s on {Environment.ProcessorCount} processors. The thread plan (`ExplainApi:OnnxThreads`) bounds intra-op threads × concurrent runs by the processors; " +
            "\"ORT default\" is the service before it: every session with one intra-op thread per core, however many runs are in flight.",
            ["pass", "plan", "concurrent runs", "runs done", "images/s"],
            results.Select(r => new[] { r.Pass, r.Plan, r.Runs.ToString(Inv), r.Calls.ToString(Inv), Num(r.ImagesPerSecond) }),
            results.Select(r => new { pass = r.Pass, plan = r.Plan, batch = r.Batch, runs = r.Runs, calls = r.Calls, seconds = r.Seconds, imagesPerSecond = r.ImagesPerSecond }));
    }

    public static void Service(BenchReport report, BenchModel model, IReadOnlyList<BatchingRun> runs, IReadOnlyList<RawPassResult> raw, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        string PassOf(string method) => method == "cam" ? RawPassThroughput.Forward : RawPassThroughput.ForwardBackward;
        double Batch32(string method) => raw.Single(r => r.Pass == PassOf(method) && r.Batch == 32).ImagesPerSecond;
        double Best(string method) => raw.Where(r => r.Pass == PassOf(method)).Max(r => r.ImagesPerSecond);
        var ceilings = string.Join("; ", raw.Select(r => $"{r.Pass} batch {r.Batch}: {Num(r.ImagesPerSecond)}"));
        var threads = Environment.GetEnvironmentVariable("ExplainApi__OnnxThreads__MaxConcurrentRuns") is { } configured ? $"MaxConcurrentRuns {configured}" : "the default thread plan";
        report.Table("Dynamic batching: service throughput against the raw batched passes",
            $"The host as its own process ({threads}, default admission, request logging on), the {model.Label} model, closed-loop loopback clients POSTing one " +
            $"{model.Manifest.Input.Height}² PNG per request to `/v1/models/bench/saliency?method=…` (JSON), {settings.LoadDuration.TotalSeconds:0} s per level, " +
            "started once with batching off (the default) and once with `ExplainApi__Batching__Enabled=true` (MaxBatch 16, MaxQueueDelay 2 ms). " +
            $"Raw = images/s of the pass the method needs (cam: pruned forward; Grad-CAM: forward + backward), measured right after under the default thread plan (one single-threaded run per processor, all busy): {ceilings}. " +
            $"Target (issue 11 item 3, at 32 clients with batching): requests/s ÷ raw batch 32 ≥ {Num(Target, "0.00")}; the last ratio is against the best raw batch size. " +
            "The load generator shares the cores with the service: *client CPU* is its own CPU time per request, and *CPU ceiling* = processors × 1000 ÷ (server + client CPU ms " +
            "per request), the requests/s no batching can exceed on this machine; its ratio to raw batch 32 says whether the target is reachable here at all.",
            ["method", "batching", "clients", "requests/s", "p50 ms", "p95 ms", "errors", "server CPU ms / request", "client CPU ms / request", "CPU ceiling req/s", "ceiling ÷ raw batch 32", "÷ raw batch 32", "target", "÷ best raw batch"],
            runs.SelectMany(run => run.Service.Select(r =>
            {
                var ratio = r.Load.RequestsPerSecond / Batch32(r.Method);
                return new[]
                {
                    r.Method, run.Batching ? "on" : "off", r.Load.Clients.ToString(Inv), Num(r.Load.RequestsPerSecond), Ms(r.Load.Latency.Percentile(50)),
                    Ms(r.Load.Latency.Percentile(95)), r.Load.Failed.ToString(Inv), Ms(r.ServerCpuMsPerRequest), r.ClientCpuMsPerRequest is { } c ? Ms(c) : "—",
                    r.CpuCeiling(Environment.ProcessorCount) is { } ceiling ? Num(ceiling) : "—",
                    r.CpuCeiling(Environment.ProcessorCount) is { } reach ? Num(reach / Batch32(r.Method), "0.00") : "—", Num(ratio, "0.00"),
                    r.Load.Clients == 32 && run.Batching ? (ratio >= Target ? "met" : "not met") : "", Num(r.Load.RequestsPerSecond / Best(r.Method), "0.00"),
                };
            })),
            new
            {
                raw = raw.Select(r => new { pass = r.Pass, batch = r.Batch, imagesPerSecond = r.ImagesPerSecond }),
                levels = runs.SelectMany(run => run.Service.Select(r => new
                {
                    batching = run.Batching, method = r.Method, clients = r.Load.Clients, requestsPerSecond = r.Load.RequestsPerSecond, failed = r.Load.Failed,
                    serverCpuMsPerRequest = r.ServerCpuMsPerRequest, clientCpuMsPerRequest = r.ClientCpuMsPerRequest, cpuCeiling = r.CpuCeiling(Environment.ProcessorCount), latency = r.Load.Latency.Summary(), ratioBatch32 = r.Load.RequestsPerSecond / Batch32(r.Method), ratioBest = r.Load.RequestsPerSecond / Best(r.Method), firstError = r.Load.FirstError,
                })),
            });
    }
}
