using ExplainApi.Bench;

// `./bench.sh [--quick] [--difference-maps]`: every measurement of docs/benchmarks.md and docs/benchmarks-difference-maps.md,
// written there with the command that reproduces it; --difference-maps runs only the second.
var quick = args.Contains("--quick");
var onlyDifferenceMaps = args.Contains("--difference-maps");
var output = Argument("--out") ?? Path.Combine("docs", onlyDifferenceMaps ? "benchmarks-difference-maps.md" : "benchmarks.md");
var hostDll = Argument("--host");
var settings = quick ? BenchSettings.QuickCheck : BenchSettings.Full;
var work = Directory.CreateTempSubdirectory("explainapi-bench-").FullName;
try
{
    if (!onlyDifferenceMaps)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var report = new BenchReport();
        await BenchRun.RunAsync(report, settings, work, hostDll, Console.Out);
        report.Write(output, Command(""), MachineInfo.Describe(loadBefore), BenchTables.Introduction);
        Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
    }

    var differenceMapsOutput = onlyDifferenceMaps ? output : Path.Combine(Path.GetDirectoryName(output) ?? "", "benchmarks-difference-maps.md");
    var differenceMapsLoad = MachineInfo.LoadAverage();
    var differenceMaps = new BenchReport();
    await DifferenceMapBenchRun.RunAsync(differenceMaps, settings, work, hostDll, Console.Out);
    differenceMaps.Write(differenceMapsOutput, Command(" --difference-maps"), MachineInfo.Describe(differenceMapsLoad), DifferenceMapTables.Introduction,
        "Benchmarks: difference maps");
    Console.WriteLine($"Wrote {differenceMapsOutput} and {Path.ChangeExtension(differenceMapsOutput, ".json")}.");
}
finally
{
    Directory.Delete(work, recursive: true);
}

string Command(string part) => "./bench.sh" + part + (quick ? " --quick" : "");

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
