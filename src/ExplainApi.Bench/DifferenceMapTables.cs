using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The tables of docs/benchmarks-difference-maps.md: GAN training time and difference-map latency.</summary>
public static class DifferenceMapTables
{
    public const string Introduction =
        "Difference-map models (issue 9): the time to train a VA-GAN (Baumgartner et al., CVPR 2018) with the demo's options and a CycleGAN " +
        "(Zhu et al., ICCV 2017) with its default cpu options on `synthetic:squares`, measured in this process through the trainers the jobs run; " +
        "and the latency of a difference map served by ONNX Runtime exactly as the route serves it. Wall-clock times on a shared 2-core machine " +
        "(see the load averages): other jobs ran at the same time, so wall times are inflated and noisy; the process CPU time is the work itself.";

    public static void Training(BenchReport report, IReadOnlyList<GanTrainingResult> results)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        report.Table("Training time per 100 generator steps",
            "Each trainer ran a short job (only `iterations` shortened; CycleGAN without its decay phase, which costs the same per step) and every step was timed " +
            "from its progress reports. Per 100 steps = Σ over the steps of a steady-state stretch of 100 (steps 100–199) of the median cost of a step of " +
            "its kind + (100 / validateEvery) × the cost of the run's final validation. VA-GAN steps differ by their critic steps (WGAN-GP, Gulrajani et al. 2017): " +
            "the demo schedule runs 100 at step 0, in the first warm-up steps and at every 100th step, else 5, so a stretch of 100 has one long step and 99 short ones; " +
            "the long step's cost is the median of the warm-up steps after step 0, the short one's of the steps after the warm-up. VA-GAN images were built before " +
            "the clock started (the trainer memoises them; a real run has built nearly all by the end of its warm-up), their building time is the *image building* " +
            "column and part of the whole-run row. Checkpoints (every 50 steps, as in the service; a median ignores the one step that saves) and the final ONNX export are not included. " +
            "CPU s: this process's CPU time (all threads). Threads: libtorch's intra-op threads (`TorchRuntime.ConfigureThreads`: half the cores, at least 1).",
            ["trainer", "dataset", "batch", "threads", "timed steps", "step kinds (critic steps: wall s / CPU s, p50)", "validation wall s / CPU s", "image building s",
                "**per 100 steps, wall s**", "per 100 steps, CPU s", "whole run"],
            results.Select(r => new[]
            {
                r.Model, $"`{r.Dataset}`", r.BatchSize.ToString(Inv), r.Threads.ToString(Inv), r.TimedSteps.ToString(Inv),
                string.Join("; ", r.StepCosts.Select(c => $"{(c.Key == 0 ? "every step" : $"{c.Key} critic, ×{r.Schedule.GetValueOrDefault(c.Key)}")}: {Num(c.Value.WallSeconds, "0.00")} / {Num(c.Value.CpuSeconds, "0.00")}")),
                $"{Num(r.Validation.WallSeconds, "0.00")} / {Num(r.Validation.CpuSeconds, "0.00")} (every {r.ValidateEvery})",
                r.Prefill.WallSeconds > 0 ? Num(r.Prefill.WallSeconds) : "—",
                $"**{Num(r.Per100.WallSeconds)}**", Num(r.Per100.CpuSeconds),
                r.WholeRun is { } whole ? $"{whole.Steps} steps: {Num(whole.Cost.WallSeconds / 60, "0.0")} min wall, {Num(whole.Cost.CpuSeconds / 60, "0.0")} min CPU (predicted)" : "—",
            }),
            results.Select(r => new
            {
                trainer = r.Model, dataset = r.Dataset, batchSize = r.BatchSize, torchThreads = r.Threads, timedSteps = r.TimedSteps, note = r.Note,
                steps = r.StepCosts.Select(c => new { criticSteps = c.Key, perHundred = r.Schedule.GetValueOrDefault(c.Key), wallSeconds = c.Value.WallSeconds, cpuSeconds = c.Value.CpuSeconds }),
                validation = new { wallSeconds = r.Validation.WallSeconds, cpuSeconds = r.Validation.CpuSeconds, every = r.ValidateEvery },
                imageBuilding = new { wallSeconds = r.Prefill.WallSeconds, cpuSeconds = r.Prefill.CpuSeconds },
                per100Steps = new { wallSeconds = r.Per100.WallSeconds, cpuSeconds = r.Per100.CpuSeconds },
                wholeRun = r.WholeRun is { } w ? new { steps = w.Steps, wallSeconds = w.Cost.WallSeconds, cpuSeconds = w.Cost.CpuSeconds } : null,
            }));
    }

    public static void Latency(BenchReport report, DifferenceMapModels models, IReadOnlyList<DifferenceMapLatency> results, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(settings);
        var input = models.Manifest.Input;
        report.Table("Difference-map latency (ONNX Runtime, in process)",
            $"A VA-GAN generator of the demo's widths ({input.Channels}×{input.Height}², seeded and untrained: a fixed graph's latency does not depend on its weights), " +
            "exported by `VaGanOnnx`, linked to a classifier of the demo profile's architecture (`ResNetClassifier` width 16, depth 3, stem stride 2), both loaded by " +
            "`ModelSessionCache` (adapter `DifferenceMapAdapter`). One call = the route's work after decoding: `DifferenceMapRunner.Run` (generator in ORT batches of " +
            "at most 16, the classifier on the originals and on the translations, translated − input), without the admission queue and the JSON/PNG response. " +
            $"One warm-up, then up to {settings.MaxRepetitions} calls within the budget (at least {settings.MinRepetitions}). Generator and classifier ms: medians of the call's two parts.",
            ["batch", "calls", "p50 ms / call", "p95 ms / call", "p50 ms / image", "p95 ms / image", "images/s", "CPU ms / image (p50)", "generator ms (p50)", "classifier ms (p50)"],
            results.Select(r => new[]
            {
                r.Batch.ToString(Inv), r.Latency.Count.ToString(Inv), Ms(r.Latency.Percentile(50)), Ms(r.Latency.Percentile(95)), Ms(r.Latency.Percentile(50) / r.Batch),
                Ms(r.Latency.Percentile(95) / r.Batch), Num(r.ImagesPerSecond), Ms(r.Latency.CpuPercentile(50) / r.Batch), Ms(r.TranslateMs), Ms(r.ClassifyMs),
            }),
            results.Select(r => new { batch = r.Batch, latency = r.Latency.Summary(), imagesPerSecond = r.ImagesPerSecond, generatorMs = r.TranslateMs, classifierMs = r.ClassifyMs }));
    }

    public static void Service(BenchReport report, IReadOnlyList<ServiceResult> results, DifferenceMapLatency inProcess, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(inProcess);
        ArgumentNullException.ThrowIfNull(settings);
        report.Table("Difference-map route (loopback)",
            "The host as its own process (Production settings, the run's execution provider, request logging on, demo off) with the two models above registered into its data folder. " +
            "Closed-loop clients POST `/v1/models/squares-vagan/difference-map` with a 112² 8-bit grey PNG of a class-from squares image and `Accept: application/json`, " +
            $"{settings.LoadDuration.TotalSeconds:0} s per level after a short warm-up. One request: decode, normalise, admission, the in-process work above, " +
            "the JSON response (maps and translation as base64 PNGs, both images' class probabilities). Server CPU ms / request: the service's CPU time ÷ its successful requests. " +
            $"The load generator shares the 2 cores. In process, batch 1 took {Ms(inProcess.Latency.Percentile(50))} ms (p50) just before.",
            ["clients", "requests", "requests/s", "p50 ms", "p95 ms", "errors", "server CPU ms / request"],
            results.Select(r => new[]
            {
                r.Load.Clients.ToString(Inv), r.Load.Succeeded.ToString(Inv), Num(r.Load.RequestsPerSecond), Ms(r.Load.Latency.Percentile(50)), Ms(r.Load.Latency.Percentile(95)),
                r.Load.Failed.ToString(Inv), Ms(r.ServerCpuMsPerRequest),
            }),
            results.Select(r => new
            {
                clients = r.Load.Clients, seconds = r.Load.Seconds, succeeded = r.Load.Succeeded, failed = r.Load.Failed, requestsPerSecond = r.Load.RequestsPerSecond,
                serverCpuMsPerRequest = r.ServerCpuMsPerRequest, latency = r.Load.Latency.Summary(), firstError = r.Load.FirstError,
            }));
    }
}
