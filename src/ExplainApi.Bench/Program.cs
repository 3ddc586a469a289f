using ExplainApi.Bench;

// `./bench.sh [--quick] [--difference-maps | --crf]`: every measurement of docs/benchmarks.md, docs/benchmarks-difference-maps.md and
// docs/benchmarks-crf.md, written there with the command that reproduces it; --difference-maps or --crf runs only that part.
var quick = args.Contains("--quick");
var only = args.Contains("--difference-maps") ? "difference-maps" : args.Contains("--crf") ? "crf" : null;
var output = Argument("--out") ?? Path.Combine("docs", only is null ? "benchmarks.md" : $"benchmarks-{only}.md");
var folder = Path.GetDirectoryName(output) ?? "";
var hostDll = Argument("--host");
var settings = quick ? BenchSettings.QuickCheck : BenchSettings.Full;
var work = Directory.CreateTempSubdirectory("explainapi-bench-").FullName;
try
{
    if (only is null)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var report = new BenchReport();
        await BenchRun.RunAsync(report, settings, work, hostDll, Console.Out);
        report.Write(output, Command(""), MachineInfo.Describe(loadBefore), BenchTables.Introduction);
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
    }

    if (only is null or "difference-maps")
    {
        var differenceMapsOutput = only is null ? Path.Combine(folder, "benchmarks-difference-maps.md") : output;
        var differenceMapsLoad = MachineInfo.LoadAverage();
        var differenceMaps = new BenchReport();
        await DifferenceMapBenchRun.RunAsync(differenceMaps, settings, work, hostDll, Console.Out);
        differenceMaps.Write(differenceMapsOutput, Command(" --difference-maps"), MachineInfo.Describe(differenceMapsLoad), DifferenceMapTables.Introduction,
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
        crf.Write(crfOutput, Command(" --crf"), MachineInfo.Describe(crfLoad), CrfTables.Introduction, "Benchmarks: dense CRF and segmentation latency");
        Console.WriteLine($"Wrote {crfOutput} and {Path.ChangeExtension(crfOutput, ".json")}.");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

string Command(string part) => "./bench.sh" + part + (quick ? " --quick" : "");

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
