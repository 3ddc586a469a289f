using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Explaining;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Bench;

/// <summary>One method on one model: single-image latency and images/s at batch 32.</summary>
public sealed record MethodResult(string Method, LatencySample Latency, double ImagesPerSecond, double BatchCpuMsPerImage, bool BatchMeasured, int BatchRuns);

/// <summary>
/// Each of the 14 methods through <see cref="ExplainExecution.Run"/>, the call the saliency endpoint makes after
/// decoding (batched forward, batched gradient pass when needed, then the method per image), with default
/// <see cref="SaliencyOptions"/>. Latency: one image per call. Throughput: 32 images in one call (the batched path
/// of a multipart request; the model's MaxBatch splits it into ORT batches) when 32 × the single-image p50 fits the
/// batch budget; otherwise it is derived as 1000 / p50, which is what the batched path gives for methods whose cost
/// is their own per-image perturbation passes (only the first forward/gradient pass is shared across the batch).
/// </summary>
public static class MethodBenchmark
{
    public static IReadOnlyList<MethodResult> Run(BenchModel model, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var image = model.Image(1);
        var batch = Enumerable.Range(0, BenchSettings.Batch).Select(i => model.Image((ulong)(100 + i))).ToArray();
        var results = new List<MethodResult>();
        foreach (var method in SaliencyMethods.All)
        {
            if (!model.Served.Model.Explain(m => SaliencyMethods.Supports(method, m, out _)))
            {
                log.WriteLine($"  {method.Name}: not supported by this model, skipped");
                continue;
            }

            var latency = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget, () => Explain(model, [image], method));
            var p50 = latency.Percentile(50);
            double imagesPerSecond, cpuPerImage;
            var runs = 0;
            var measured = p50 * BenchSettings.Batch <= settings.BatchBudget.TotalMilliseconds;
            if (measured)
            {
                // No separate warm-up: the single-image runs above warmed the sessions and the method.
                var batchSample = LatencySample.Measure(1, 3, settings.BatchBudget / 2, () => Explain(model, batch, method), warmUp: false);
                runs = batchSample.Count;
                imagesPerSecond = BenchSettings.Batch / (batchSample.Percentile(50) / 1000);
                cpuPerImage = batchSample.CpuPercentile(50) / BenchSettings.Batch;
            }
            else
            {
                imagesPerSecond = 1000 / p50;
                cpuPerImage = latency.CpuPercentile(50);
            }

            log.WriteLine($"  {method.Name}: n={latency.Count} p50={p50:0.0} ms p95={latency.Percentile(95):0.0} ms cpu={latency.CpuPercentile(50):0.0} ms, {imagesPerSecond:0.000} images/s at batch 32 ({(measured ? $"measured, {runs} run(s)" : "derived")})");
            results.Add(new MethodResult(method.Name, latency, imagesPerSecond, cpuPerImage, measured, runs));
        }

        return results;
    }

    /// <summary>The endpoint's run for <paramref name="images"/> with one method; a problem (e.g. NaN outputs) is a benchmark failure.</summary>
    public static SaliencyRun Explain(BenchModel model, IReadOnlyList<float[]> images, ISaliencyMethod method)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (run, problem) = ExplainExecution.Run(model.Served, images, [method], null, SaliencyOptions.Default, model.Cache);
        return run ?? throw new InvalidOperationException($"{method.Name} answered a problem: {problem?.ProblemDetails.Detail}");
    }
}
