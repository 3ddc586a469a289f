using System.Text.Json;
using ExplainApi.Bench;
using ExplainApi.Onnx;

// `./bench.sh [--quick] [--classifier | --difference-maps | --crf | --only-overhead | --only-gradient-pass | --only-scorecam | --only-batching] [--accelerator cpu|auto|cuda]`: every measurement of
// docs/benchmarks.md, docs/benchmarks-difference-maps.md and docs/benchmarks-crf.md, written there with the command that
// reproduces it; --classifier, --difference-maps or --crf runs only that part (--only-batching: the thread plan and dynamic batching alone). --accelerator picks ONNX Runtime's provider
// (default cpu); cuda refuses to measure a CPU fallback. --runtime only prints whether that provider loads, as JSON.
var quick = args.Contains("--quick");
var only = args.Contains("--only-overhead") ? "overhead" : args.Contains("--only-gradient-pass") ? "gradient-pass" : args.Contains("--only-scorecam") ? "scorecam"
    : args.Contains("--classifier") ? "classifier" : args.Contains("--difference-maps") ? "difference-maps" : args.Contains("--crf") ? "crf" : null;
var output = Argument("--out") ?? Path.Combine("docs", only is null or "classifier" ? "benchmarks.md" : $"benchmarks-{only}.md");
var folder = Path.GetDirectoryName(output) ?? "";
var hostDll = Argument("--host");
var accelerator = Enum.Parse<AcceleratorPreference>(Argument("--accelerator") ?? "cpu", ignoreCase: true);
var settings = (quick ? BenchSettings.QuickCheck : BenchSettings.Full) with { Accelerator = accelerator };
var runtime = new OnnxSessionFactory().DescribeRuntime(accelerator);
var provider = runtime.DefaultProvider;
if (args.Contains("--runtime"))
{
    // scripts/gpu-check.sh: whether the provider loads, as JSON, without measuring anything.
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        version = runtime.Version, availableProviders = runtime.AvailableProviders, provider = provider.Provider, fallbackReason = provider.FallbackReason,
    }));
    return provider.FallbackReason is null ? 0 : 3;
}

if (accelerator == AcceleratorPreference.Cuda && provider.FallbackReason is not null)
{
    Console.Error.WriteLine($"--accelerator cuda, but sessions would fall back to CPU: {provider.FallbackReason}");
    return 3;
}

var providerText = provider.Provider + (provider.FallbackReason is null ? "" : $", {accelerator.ToString().ToLowerInvariant()} fell back");
var work = Directory.CreateTempSubdirectory("explainapi-bench-").FullName;
try
{
    if (only is "overhead")
    {
        // Issue 11 item 1 alone (a minute): while cutting request overhead, without the half-hour classifier run.
        var report = new BenchReport();
        Console.WriteLine("Request overhead");
        OverheadTables.Overhead(report, await OverheadBenchmark.RunAsync(hostDll ?? BenchRun.DefaultHostDll(), work, settings, Console.Out));
        report.Write(output, Command(" --only-overhead"), MachineInfo.Describe(MachineInfo.LoadAverage(), providerText), BenchTables.Introduction, "Benchmarks: request overhead");
        Console.WriteLine($"Wrote {output}.");
    }

    if (args.Contains("--only-batching"))
    {
        // The thread plan and dynamic batching alone (part of --classifier too), to --out or docs/benchmarks-batching.md.
        var batchingOutput = Argument("--out") ?? Path.Combine("docs", "benchmarks-batching.md");
        var batching = new BenchReport();
        var batchingLoad = MachineInfo.LoadAverage();
        await BatchingBenchmark.RunAloneAsync(batching, settings, work, hostDll, Console.Out);
        batching.Write(batchingOutput, Command(" --only-batching"), MachineInfo.Describe(batchingLoad, providerText), BenchTables.Introduction, "Benchmarks: thread plan and dynamic batching");
        Console.WriteLine($"Wrote {batchingOutput}.");
        return 0;
    }

    if (only is null or "classifier")
    {
        var loadBefore = MachineInfo.LoadAverage();
        var report = new BenchReport();
        await BenchRun.RunAsync(report, settings, work, hostDll, Console.Out);
        report.Write(output, Command(only is null ? "" : " --classifier"), MachineInfo.Describe(loadBefore, providerText), BenchTables.Introduction);
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
    }

    if (only == "gradient-pass")
    {
        // Issue 11's section alone (`./bench.sh --only-gradient-pass [--quick] [--out PATH]`), also part of --classifier.
        var report = new BenchReport();
        await GradientPassBenchmark.RunSectionAsync(report, settings, work, Console.Out);
        report.Write(output, Command(" --only-gradient-pass"), MachineInfo.Describe(MachineInfo.LoadAverage(), providerText), BenchTables.Introduction, "Benchmarks: gradient pass cost");
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
    }

    if (only is "scorecam")
    {
        // Only the fast Score-CAM section of the classifier run (issue 11 item 4), into --out (default docs/benchmarks-scorecam.md).
        var scoreCam = new BenchReport();
        var loadBefore = MachineInfo.LoadAverage();
        await ScoreCamFastBenchmark.RunAsync(scoreCam, settings, new ExplainApi.Core.Models.FileModelRegistry(Path.Combine(work, "models")), Path.Combine(work, "exports"), Console.Out);
        scoreCam.Write(output, Command(" --only-scorecam"), MachineInfo.Describe(loadBefore, providerText), BenchTables.Introduction, "Benchmarks: fast Score-CAM");
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
    }

    if (only is null or "difference-maps")
    {
        var differenceMapsOutput = only is null ? Path.Combine(folder, "benchmarks-difference-maps.md") : output;
        var differenceMapsLoad = MachineInfo.LoadAverage();
        var differenceMaps = new BenchReport();
        await DifferenceMapBenchRun.RunAsync(differenceMaps, settings, work, hostDll, Console.Out);
        differenceMaps.Write(differenceMapsOutput, Command(" --difference-maps"), MachineInfo.Describe(differenceMapsLoad, providerText), DifferenceMapTables.Introduction,
            "Benchmarks: difference maps");
        Console.WriteLine($"Wrote {differenceMapsOutput} and {Path.ChangeExtension(differenceMapsOutput, ".json")}.");
    }

    if (only is null or "crf")
    {
        var crfOutput = only is null ? Path.Combine(folder, "benchmarks-crf.md") : output;
        var crfLoad = MachineInfo.LoadAverage();
        var crf = new BenchReport();
        Console.WriteLine("Dense CRF");
        CrfTables.Timings(crf, CrfBenchmark.Run(settings, Console.Out), settings);
        Console.WriteLine("Segmentation latency");
        CrfTables.Segmenter(crf, await SegmenterLatencyBenchmark.RunAsync(settings, work, Console.Out));
        crf.Write(crfOutput, Command(" --crf"), MachineInfo.Describe(crfLoad, providerText), CrfTables.Introduction, "Benchmarks: dense CRF and segmentation latency");
        Console.WriteLine($"Wrote {crfOutput} and {Path.ChangeExtension(crfOutput, ".json")}.");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

return 0;

string Command(string part) =>
    "./bench.sh" + part + (quick ? " --quick" : "") + (accelerator == AcceleratorPreference.Cpu ? "" : $" --accelerator {accelerator.ToString().ToLowerInvariant()}");

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
