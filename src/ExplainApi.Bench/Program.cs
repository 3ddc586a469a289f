using System.Text.Json;
using ExplainApi.Bench;
using ExplainApi.Onnx;

// `./bench.sh [--quick] [--classifier | --difference-maps | --crf | --only-SECTION] [--accelerator cpu|auto|cuda]`: every measurement of
// docs/benchmarks.md, docs/benchmarks-difference-maps.md and docs/benchmarks-crf.md, written there with the command that
// reproduces it; --classifier, --difference-maps or --crf runs only that part, --only-overhead, --only-gradient-pass,
// --only-scorecam or --only-batching one section of the classifier part (to --out or docs/benchmarks-SECTION.md). --accelerator picks ONNX Runtime's provider
// (default cpu); cuda refuses to measure a CPU fallback. --runtime only prints whether that provider loads, as JSON.
var quick = args.Contains("--quick");
var section = args.FirstOrDefault(a => a.StartsWith("--only-", StringComparison.Ordinal))?["--only-".Length..];
var only = section ?? (args.Contains("--classifier") ? "classifier" : args.Contains("--difference-maps") ? "difference-maps" : args.Contains("--crf") ? "crf" : null);
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
    if (section is not null)
    {
        // One section of the classifier run alone, while working on it (minutes, not the half hour of --classifier).
        var sections = new Dictionary<string, (string Heading, Func<BenchReport, Task> Run)>(StringComparer.Ordinal)
        {
            ["overhead"] = ("request overhead", async r => OverheadTables.Overhead(r, await OverheadBenchmark.RunAsync(hostDll ?? BenchRun.DefaultHostDll(), work, settings, Console.Out))),
            ["gradient-pass"] = ("gradient pass cost", r => GradientPassBenchmark.RunSectionAsync(r, settings, work, Console.Out)),
            ["scorecam"] = ("fast Score-CAM", r => ScoreCamFastBenchmark.RunAsync(
                r, settings, new ExplainApi.Core.Models.FileModelRegistry(Path.Combine(work, "models")), Path.Combine(work, "exports"), Console.Out)),
            ["batching"] = ("thread plan and dynamic batching", r => BatchingBenchmark.RunAloneAsync(r, settings, work, hostDll, Console.Out)),
        };
        if (!sections.TryGetValue(section, out var chosen))
        {
            Console.Error.WriteLine($"Unknown section --only-{section}; known: {string.Join(", ", sections.Keys.Select(k => "--only-" + k))}.");
            return 2;
        }

        var load = MachineInfo.LoadAverage();
        var report = new BenchReport();
        await chosen.Run(report);
        report.Write(output, Command($" --only-{section}"), MachineInfo.Describe(load, providerText), BenchTables.Introduction, $"Benchmarks: {chosen.Heading}");
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
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
