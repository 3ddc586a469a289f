using ExplainApi.Core.Models;
using System.Text.Json;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Proto;
using ExplainApi.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;
using Names = ExplainApi.Onnx.Export.ClassifierOnnxContract;

namespace ExplainApi.Bench;

/// <summary>One batch size: the pruned forward, the full forward + gradient pass and the ∂y/∂A-only pass (p50 ms).</summary>
public sealed record GradientPassRow(string Model, int Batch, LatencySample Forward, LatencySample Full, LatencySample ActivationGradients);

/// <summary>Node counts per op type of one graph, and (full graph, largest batch) ORT's per-op-type profile.</summary>
public sealed record GradientPassGraphs(string Model, IReadOnlyDictionary<string, int> FullOps, int ForwardNodes, int ActivationGradientNodes,
    IReadOnlyList<(string Op, double Ms, int Calls)> Profile, double ProfiledRunMs);

/// <summary>
/// What the backward graph costs next to the forward (issue 11): the served model's three graphs as serving builds
/// them (<see cref="OnnxGraphPruner"/>): forward pruned to logits and activations; the full exported graph with both
/// gradients; pruned to {logits, target_class, activations, grad_activations} (the gradient CAMs). One
/// InferenceSession.Run per batch, inputs prepared once, target −1 (the predicted class).
/// </summary>
public static class GradientPassBenchmark
{
    public static readonly int[] Batches = [1, 16];

    /// <summary>The section alone (--only-gradient-pass): the 1×112² and 3×224² bench models of <see cref="BenchRun"/>.</summary>
    public static async Task RunSectionAsync(BenchReport report, BenchSettings settings, string work, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var registry = new FileModelRegistry(Path.Combine(work, "models"));
        var exports = Path.Combine(work, "exports");
        using var small = await BenchModel.LoadAsync(registry, await BenchModel.RegisterAsync(registry, "resnet-112", 1, 112, BenchRun.DefaultWidth, exports), settings.Accelerator);
        using var large = await BenchModel.LoadAsync(registry, await BenchModel.RegisterAsync(registry, "resnet-224", 3, 224, BenchRun.DefaultWidth, exports), settings.Accelerator);
        log.WriteLine("Gradient pass cost");
        GradientPassTables.Write(report, [.. new[] { small, large }.Select(m => Run(m, settings, log))], settings);
    }

    public static (IReadOnlyList<GradientPassRow> Rows, GradientPassGraphs Graphs) Run(BenchModel model, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var bytes = File.ReadAllBytes(model.OnnxPath);
        string[] forwardOutputs = [Names.Logits, Names.Activations];
        string[] activationOutputs = [Names.Logits, Names.TargetClass, Names.Activations, Names.GradActivations];
        string[] fullOutputs = [.. activationOutputs, Names.GradInput];
        var forwardGraph = OnnxGraphPruner.Prune(bytes, forwardOutputs);
        var activationGraph = OnnxGraphPruner.Prune(bytes, activationOutputs);
        var factory = new OnnxSessionFactory();
        using var forward = factory.Create(forwardGraph, settings.Accelerator);
        using var full = factory.Create(bytes, settings.Accelerator);
        using var activation = factory.Create(activationGraph, settings.Accelerator);
        var tracker = new OrtValueTracker();
        var input = model.Manifest.Input;
        var rows = new List<GradientPassRow>();
        var (min, max) = (Math.Max(settings.MinRepetitions, 5), Math.Max(settings.MaxRepetitions, 30));
        foreach (var batch in Batches)
        {
            var data = model.Batch(batch, 300);
            using var image = tracker.Input(data, [batch, input.Channels, input.Height, input.Width]);
            using var target = tracker.Input(Enumerable.Repeat(-1L, batch).ToArray(), [batch]);
            LatencySample Time(InferenceSession session, bool withTarget, string[] outputs) =>
                LatencySample.Measure(min, max, settings.ForwardBudget, () =>
                {
                    using var results = withTarget
                        ? tracker.Run(session, [Names.Input, Names.Target], [image[0], target[0]], outputs)
                        : tracker.Run(session, [Names.Input], image.Values, outputs);
                });
            var row = new GradientPassRow(model.Label, batch, Time(forward.Session, false, forwardOutputs), Time(full.Session, true, fullOutputs),
                Time(activation.Session, true, activationOutputs));
            log.WriteLine($"  {model.Label} batch {batch}: forward {row.Forward.Percentile(50):0.00} ms (CPU {row.Forward.CpuPercentile(50):0.00}), " +
                $"full {row.Full.Percentile(50):0.00} ms (CPU {row.Full.CpuPercentile(50):0.00}; {row.Full.Percentile(50) / row.Forward.Percentile(50):0.00}×), " +
                $"∂y/∂A only {row.ActivationGradients.Percentile(50):0.00} ms (CPU {row.ActivationGradients.CpuPercentile(50):0.00}; " +
                $"{row.ActivationGradients.Percentile(50) / row.Forward.Percentile(50):0.00}×)");
            rows.Add(row);
        }

        var (profile, runMs) = settings.Accelerator == AcceleratorPreference.Cpu ? Profile(bytes, model, fullOutputs, Batches[^1], settings.Quick ? 3 : 10) : ([], 0);
        var graphs = new GradientPassGraphs(model.Label, OpCounts(bytes), OpCounts(forwardGraph).Values.Sum(), OpCounts(activationGraph).Values.Sum(), profile, runMs);
        log.WriteLine($"  nodes: full {graphs.FullOps.Values.Sum()} ({string.Join(", ", graphs.FullOps.Select(p => $"{p.Key} {p.Value}"))}), " +
            $"forward {graphs.ForwardNodes}, ∂y/∂A {graphs.ActivationGradientNodes}");
        log.WriteLine($"  ORT profile, full graph, batch {Batches[^1]} ({runMs:0.0} ms per run): " +
            string.Join(", ", profile.Select(p => $"{p.Op} {p.Ms:0.00} ms ×{p.Calls}")));
        return (rows, graphs);
    }

    public static SortedDictionary<string, int> OpCounts(byte[] onnx) =>
        new(ModelProto.Parser.ParseFrom(onnx).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    /// <summary>
    /// ORT's own profiler (SessionOptions.EnableProfiling) over <paramref name="runs"/> runs after a warm-up: node time per
    /// op type as ORT executed it (after its fusions and the NCHWc layout transform, so ReorderInput/ReorderOutput show up), ms per run.
    /// </summary>
    private static (IReadOnlyList<(string Op, double Ms, int Calls)> Ops, double RunMs) Profile(byte[] onnx, BenchModel model, string[] outputs, int batch, int runs)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"explainapi-gradient-profile-{Environment.ProcessId}");
        using var options = new SessionOptions { EnableProfiling = true, ProfileOutputPathPrefix = prefix };
        options.AppendExecutionProvider_CPU(useArena: 1);
        using var session = new InferenceSession(onnx, options);
        var tracker = new OrtValueTracker();
        var input = model.Manifest.Input;
        var data = model.Batch(batch, 300);
        using var image = tracker.Input(data, [batch, input.Channels, input.Height, input.Width]);
        using var target = tracker.Input(Enumerable.Repeat(-1L, batch).ToArray(), [batch]);
        for (var r = 0; r <= runs; r++)
        {
            using var results = tracker.Run(session, [Names.Input, Names.Target], [image[0], target[0]], outputs);
        }

        var file = session.EndProfiling();
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var events = json.RootElement.EnumerateArray().ToList();
            bool Is(JsonElement e, string category, string suffix) =>
                e.GetProperty("cat").GetString() == category && e.GetProperty("name").GetString()!.EndsWith(suffix, StringComparison.Ordinal);
            var runStarts = events.Where(e => Is(e, "Session", "model_run")).Select(e => e.GetProperty("ts").GetInt64()).Order().ToList();
            var after = runStarts.Count > 1 ? runStarts[1] : 0; // the first run is the warm-up
            var runMs = events.Where(e => Is(e, "Session", "model_run") && e.GetProperty("ts").GetInt64() >= after).Average(e => e.GetProperty("dur").GetInt64()) / 1000.0;
            var ops = events
                .Where(e => Is(e, "Node", "_kernel_time") && e.GetProperty("ts").GetInt64() >= after)
                .GroupBy(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
                .Select(g => (Op: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetInt64()) / 1000.0 / runs, Calls: g.Count() / runs))
                .OrderByDescending(p => p.Ms)
                .ToList();
            var nodes = events
                .Where(e => Is(e, "Node", "_kernel_time") && e.GetProperty("ts").GetInt64() >= after)
                .GroupBy(e => e.GetProperty("name").GetString()!.Replace("_kernel_time", "", StringComparison.Ordinal))
                .Select(g => (Node: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetInt64()) / 1000.0 / runs))
                .OrderByDescending(p => p.Ms)
                .Take(12);
            Console.WriteLine("  slowest nodes: " + string.Join(", ", nodes.Select(n => $"{n.Node} {n.Ms:0.00} ms")));
            return (ops, runMs);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
