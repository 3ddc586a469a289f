using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The report's tables: what each column means is said in its note.</summary>
public static class BenchTables
{
    /// <summary>What holds for every table of the report.</summary>
    public const string Introduction =
        "Models: `ResNetClassifier` (stem + 3 stages of 2 basic blocks, width 16 doubling per stage, CAM target layer3) with seeded, untrained " +
        "weights, exported by `ResNetOnnx.Export` (forward and backward graph), served by `ModelSessionCache` → `OnnxExplainableModel` exactly as the " +
        "HTTP endpoints serve a trained model. Weights do not change the latency of a fixed graph (no data-dependent control flow; only Score-CAM " +
        "skips channels that are constant on the image, counted below). Every loop is bounded in count and in time. Wall-clock times on a shared " +
        "2-core machine (see the load average above): other jobs ran at the same time, so the numbers are noisy; compare rows within one run. " +
        "GAN training time and difference-map latency: [benchmarks-difference-maps.md](benchmarks-difference-maps.md) (`./bench.sh --difference-maps`).";

    public static void RawForward(BenchReport report, IReadOnlyList<(BenchModel Model, IReadOnlyList<RawForwardResult> Results)> raw)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(raw);
        report.Table("Raw ONNX Runtime forward",
            "The exported model pruned to its logits (no backward graph), one `InferenceSession.Run` per batch, inputs prepared once: the ceiling the service is compared with. " +
            "ResNetClassifier width 16, depth 3, seeded untrained weights (weights do not change the latency of a fixed graph).",
            ["model", "batch", "runs", "p50 ms / batch", "p95 ms / batch", "images/s", "CPU ms / image (p50)"],
            raw.SelectMany(r => r.Results.Select(x => new[]
            {
                r.Model.Label, x.Batch.ToString(Inv), x.Latency.Count.ToString(Inv), Ms(x.Latency.Percentile(50)), Ms(x.Latency.Percentile(95)), Num(x.ImagesPerSecond), Ms(x.Latency.CpuPercentile(50) / x.Batch),
            })),
            raw.Select(r => new { model = r.Model.Label, batches = r.Results.Select(x => new { batch = x.Batch, latency = x.Latency.Summary(), imagesPerSecond = x.ImagesPerSecond }) }));
    }

    public static void Methods(BenchReport report, BenchModel model, IReadOnlyList<MethodResult> results, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        report.Table($"Saliency methods, {model.Label}",
            "One image per call through `ExplainExecution.Run` (the endpoint's path after decoding: batched forward, batched gradient pass if needed, the method), " +
            "default `SaliencyOptions` (RISE 2000 masks, SmoothGrad 50 samples, Integrated Gradients 64 steps, occlusion patch H/8 stride H/16, Score-CAM K masked forwards). " +
            $"Runs: one warm-up, then up to {settings.MaxRepetitions} timed runs within {settings.MethodBudget.TotalSeconds:0.#} s (at least {settings.MinRepetitions}); " +
            "a warm-up longer than that budget is the only (n = 1) sample, so its p95 equals its p50. " +
            $"Images/s at batch 32: *measured* = 32 images in one call (the multipart batched path; ORT batches of MaxBatch 16), median of up to 3 calls; " +
            $"*derived* = 1000 / p50 where 32 × p50 exceeds {settings.BatchBudget.TotalSeconds:0} s — these methods run their own per-image perturbation or sampling passes, " +
            "so only the first forward/gradient pass is shared across a batch. " +
            "CPU ms: this process's CPU time (user + system, all ORT threads) per call, less sensitive than wall-clock time to the other jobs on the machine; " +
            "at batch 32 it is the batch's CPU time / 32 (derived rows repeat the single-image value).",
            ["method", "runs", "p50 ms", "p95 ms", "CPU ms (p50)", "images/s at batch 32", "CPU ms / image at batch 32"],
            results.Select(r => new[]
            {
                r.Method, r.Latency.Count.ToString(Inv), Ms(r.Latency.Percentile(50)), Ms(r.Latency.Percentile(95)), Ms(r.Latency.CpuPercentile(50)),
                $"{Rate(r.ImagesPerSecond)} ({(r.BatchMeasured ? "measured" : "derived")})", Ms(r.BatchCpuMsPerImage),
            }),
            results.Select(r => new
            {
                method = r.Method, latency = r.Latency.Summary(), imagesPerSecondAtBatch32 = r.ImagesPerSecond, cpuMsPerImageAtBatch32 = r.BatchCpuMsPerImage,
                batchMeasured = r.BatchMeasured, batchRuns = r.BatchRuns,
            }));
    }

    public static void ScoreCam(BenchReport report, IReadOnlyList<ScoreCamPoint> points)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(points);
        report.Table("Score-CAM cost versus K",
            "1×112² ResNetClassifier, depth 3, widths 8/16/32/64 → K = 32/64/128/256 channels at layer3 (same runs rule as above). Score-CAM runs one forward per channel mask " +
            "(the upsampled, min–max normalised activation map times the image, in ORT batches of 16), skipping channels that are constant on the image " +
            "(dead ReLUs of the seeded weights): *forwards* counts the masked forwards actually run. Its cost is about forwards × one forward of that model, " +
            "and a wider model's forward is itself dearer (≈ width²), hence the last column: p50 / (forwards × one batch-1 raw forward); below 1 is the gain of batching.",
            ["width", "K", "forwards", "runs", "p50 ms", "p95 ms", "CPU ms (p50)", "one forward ms", "p50 / (forwards × forward)"],
            points.Select(p => new[]
            {
                p.Width.ToString(Inv), p.K.ToString(Inv), p.Forwards.ToString(Inv), p.Latency.Count.ToString(Inv), Ms(p.Latency.Percentile(50)), Ms(p.Latency.Percentile(95)), Ms(p.Latency.CpuPercentile(50)), Ms(p.ForwardMs),
                Num(p.Latency.Percentile(50) / (Math.Max(p.Forwards, 1) * p.ForwardMs), "0.00"),
            }),
            points.Select(p => new { width = p.Width, k = p.K, maskedForwards = p.Forwards, latency = p.Latency.Summary(), forwardMs = p.ForwardMs }));
    }

    public static void Service(BenchReport report, BenchModel model, IReadOnlyList<ServiceResult> results, double rawBatch1, double rawBatch32, double rawCpuMsPerImage32, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(settings);
        report.Table("Service throughput (loopback)",
            $"The host as its own process (Production settings, the run's execution provider, request logging on), the {model.Label} model registered into its data folder as training does. " +
            $"Closed-loop clients POST `/v1/models/bench/saliency?method=…` with a {model.Manifest.Input.Height}² 8-bit grey PNG and `Accept: application/json`, " +
            $"{settings.LoadDuration.TotalSeconds:0} s per level after a short warm-up. One request = one image: decode, preprocess, forward (+ gradient pass for Grad-CAM), map, JSON. " +
            "Server CPU ms / request: the service process's CPU time during the level ÷ its successful requests (the load generator's own CPU is not in it). " +
            $"The load generator runs on the same 2 cores. Ratio = requests/s ÷ raw ORT forward images/s of the same model, measured again just before these levels, at batch 32 ({Num(rawBatch32)}) and at batch 1 ({Num(rawBatch1)}); " +
            $"the raw forward's CPU time at batch 32 was {Ms(rawCpuMsPerImage32)} ms per image, to set against the server's CPU per request.",
            ["method", "clients", "requests", "requests/s", "p50 ms", "p95 ms", "errors", "server CPU ms / request", "÷ raw batch 32", "÷ raw batch 1"],
            results.Select(r => new[]
            {
                r.Method, r.Load.Clients.ToString(Inv), r.Load.Succeeded.ToString(Inv), Num(r.Load.RequestsPerSecond), Ms(r.Load.Latency.Percentile(50)), Ms(r.Load.Latency.Percentile(95)),
                r.Load.Failed.ToString(Inv), Ms(r.ServerCpuMsPerRequest), Num(r.Load.RequestsPerSecond / rawBatch32, "0.00"), Num(r.Load.RequestsPerSecond / rawBatch1, "0.00"),
            }),
            new
            {
                rawImagesPerSecondBatch1 = rawBatch1,
                rawImagesPerSecondBatch32 = rawBatch32,
                levels = results.Select(r => new
                {
                    method = r.Method, clients = r.Load.Clients, seconds = r.Load.Seconds, succeeded = r.Load.Succeeded, failed = r.Load.Failed,
                    requestsPerSecond = r.Load.RequestsPerSecond, serverCpuMsPerRequest = r.ServerCpuMsPerRequest, latency = r.Load.Latency.Summary(), firstError = r.Load.FirstError,
                }),
            });
    }
}
