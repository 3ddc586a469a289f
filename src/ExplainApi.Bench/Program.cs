using ExplainApi.Bench;

// `./bench.sh [--quick]`: every measurement of docs/benchmarks.md, written there with the command that reproduces it.
var quick = args.Contains("--quick");
var output = Argument("--out") ?? Path.Combine("docs", "benchmarks.md");
var hostDll = Argument("--host");
var settings = quick ? BenchSettings.QuickCheck : BenchSettings.Full;
var command = "./bench.sh" + (quick ? " --quick" : "");
var loadBefore = MachineInfo.LoadAverage();
var work = Directory.CreateTempSubdirectory("explainapi-bench-").FullName;
try
{
    var report = new BenchReport();
    await BenchRun.RunAsync(report, settings, work, hostDll, Console.Out);
    report.Write(output, command, MachineInfo.Describe(loadBefore), BenchTables.Introduction);
    Console.WriteLine($"Wrote {output} and {Path.ChangeExtension(output, ".json")}.");
}
finally
{
    Directory.Delete(work, recursive: true);
}

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
