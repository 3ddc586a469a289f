using System.Diagnostics;
using System.Text.Json.Nodes;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training.VaGan;
using Xunit.Abstractions;

namespace ExplainApi.Torch.Tests.Training.VaGan;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class ExploreTests(ITestOutputHelper output) : IDisposable
{
    private readonly TrainingTestRun first = new();

    [Fact]
    public void Explore()
    {
        var o = JsonNode.Parse(Environment.GetEnvironmentVariable("VAGAN_OPTIONS") ?? "{}")!.AsObject();
        var n = int.Parse(Environment.GetEnvironmentVariable("VAGAN_N") ?? "200");
        var size = int.Parse(Environment.GetEnvironmentVariable("VAGAN_SIZE") ?? "32");
        var clock = Stopwatch.StartNew();
        var times = new Dictionary<long, double>();
        var (g, r) = VaGanTraining.Train(first.Create(new ExplainApi.Core.Datasets.SquaresDataset(n, size, 2), o, onReport: p =>
        {
            if (p.Phase == "training")
            {
                times[p.Step] = clock.Elapsed.TotalSeconds;
            }
        }), CancellationToken.None);
        var last = times.Keys.Max();
        output.WriteLine($"timing: step 1 at {times[1]:F1} s, step {last} at {times[last]:F1} s: {(times[last] - times[1]) / (last - 1) * 100:F1} s per 100 steps after the first");
        g.Dispose();
        foreach (var p in first.Reports.Where(p => p.Phase == "validating"))
        {
            output.WriteLine($"step {p.Step}: " + string.Join(" ", p.Metrics.Select(m => $"{m.Key}={m.Value:F3}")));
        }
        foreach (var p in first.Reports.Where(p => p.Phase == "training" && p.Step % 10 == 0))
        {
            output.WriteLine($"step {p.Step}: " + string.Join(" ", p.Losses.Select(m => $"{m.Key}={m.Value:F3}")));
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s best {r.BestStep} ncc {r.Validation.Ncc:F3}");
    }

    public void Dispose() => first.Dispose();
}
