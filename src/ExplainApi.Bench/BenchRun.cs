using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Bench;

/// <summary>
/// The benchmark's sections in order, each adding one table to the report: raw ORT forward, the 14 methods on
/// 1×112² and 3×224² models, Score-CAM versus K, the service under concurrent clients.
/// </summary>
public static class BenchRun
{
    /// <summary>The default ResNetClassifier of a training job (width 16, depth 3: K = 64 at layer3).</summary>
    public const int DefaultWidth = 16;

    private static readonly string[] ServiceMethods = ["gradcam", "cam"];

    public static async Task RunAsync(BenchReport report, BenchSettings settings, string work, string? hostDll, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(log);
        var registry = new FileModelRegistry(Path.Combine(work, "models"));
        var exports = Path.Combine(work, "exports");
        using var small = await BenchModel.LoadAsync(registry, await BenchModel.RegisterAsync(registry, "resnet-112", 1, 112, DefaultWidth, exports), settings.Accelerator);
        using var large = await BenchModel.LoadAsync(registry, await BenchModel.RegisterAsync(registry, "resnet-224", 3, 224, DefaultWidth, exports), settings.Accelerator);

        log.WriteLine("Raw ONNX Runtime forward");
        var raw = new[] { small, large }.Select(m => (Model: m, Results: RawForwardBenchmark.Run(m, settings, 1, BenchSettings.Batch))).ToList();
        foreach (var (model, results) in raw)
        {
            log.WriteLine($"  {model.Label}: " + string.Join(", ", results.Select(r => $"batch {r.Batch}: {r.ImagesPerSecond:0.0} images/s")));
        }

        BenchTables.RawForward(report, raw);
        log.WriteLine("Gradient pass cost");
        GradientPassTables.Write(report, [.. new[] { small, large }.Select(m => GradientPassBenchmark.Run(m, settings, log))], settings);

        foreach (var model in new[] { small, large })
        {
            log.WriteLine($"Methods on {model.Label}");
            BenchTables.Methods(report, model, MethodBenchmark.Run(model, settings, log), settings);
        }

        log.WriteLine("Score-CAM versus K");
        var scaling = new List<ScoreCamPoint>();
        var scoreCam = SaliencyMethods.All.Single(m => m.Name == "scorecam");
        foreach (var width in settings.ScoreCamWidths)
        {
            using var model = await BenchModel.LoadAsync(registry, await BenchModel.RegisterAsync(registry, $"scorecam-w{width}", 1, 112, width, exports), settings.Accelerator);
            var forwardMs = RawForwardBenchmark.SingleForwardMs(model, settings);
            var latency = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget,
                () => MethodBenchmark.Explain(model, [model.Image(1)], scoreCam));
            var forwards = model.VaryingChannels(model.Image(1));
            log.WriteLine($"  K = {model.TargetChannels} ({forwards} masked forwards): n={latency.Count} p50 {latency.Percentile(50):0.0} ms, one forward {forwardMs:0.00} ms");
            scaling.Add(new ScoreCamPoint(width, model.TargetChannels, forwards, latency, forwardMs));
        }

        BenchTables.ScoreCam(report, scaling);
        await ScoreCamFastBenchmark.RunAsync(report, settings, registry, exports, log);

        var host = hostDll ?? DefaultHostDll();
        if (!File.Exists(host))
        {
            log.WriteLine($"Service: {host} not found; build src/ExplainApi.Host (Release) or pass --host. Skipped.");
            return;
        }

        log.WriteLine("Request overhead");
        OverheadTables.Overhead(report, await OverheadBenchmark.RunAsync(host, work, settings, log));

        log.WriteLine("Service (loopback)");
        // The ceiling again, just before the load levels: the machine's load drifts during a run.
        var rawSmall = RawForwardBenchmark.Run(small, settings, 1, BenchSettings.Batch);
        log.WriteLine("  raw forward now: " + string.Join(", ", rawSmall.Select(r => $"batch {r.Batch}: {r.ImagesPerSecond:0.0} images/s")));
        var service = await ServiceBenchmark.RunAsync(host, work, 1, 112, DefaultWidth, ServiceMethods, settings, log);
        BenchTables.Service(report, small, service, rawSmall[0].ImagesPerSecond, rawSmall[^1].ImagesPerSecond,
            rawSmall[^1].Latency.CpuPercentile(50) / BenchSettings.Batch, settings);

        log.WriteLine("Thread plan and dynamic batching");
        await BatchingBenchmark.RunAsync(report, settings, small, work, host, log);
    }

    /// <summary>The host built beside this program by `dotnet build -c Release` (bench.sh builds both).</summary>
    public static string DefaultHostDll()
    {
        var here = AppContext.BaseDirectory; // src/ExplainApi.Bench/bin/Release/net10.0/linux-x64/
        var src = Path.GetFullPath(Path.Combine(here, "..", "..", "..", "..", ".."));
        return Path.Combine(src, "ExplainApi.Host", Path.GetRelativePath(Path.Combine(src, "ExplainApi.Bench"), here), "ExplainApi.Host.dll");
    }
}

/// <summary>Score-CAM on a model whose target layer has K channels.</summary>
public sealed record ScoreCamPoint(int Width, int K, int Forwards, LatencySample Latency, double ForwardMs);
