using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The "gradient pass cost" tables (issue 11): pass times against the pruned forward, node counts and ORT's per-op profile.</summary>
public static class GradientPassTables
{
    /// <summary>Issue 11's target: forward + gradient pass at most this many pruned forwards.</summary>
    public const double TargetRatio = 2.5;

    public static void Write(BenchReport report, IReadOnlyList<(IReadOnlyList<GradientPassRow> Rows, GradientPassGraphs Graphs)> results, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(settings);
        var rows = results.SelectMany(r => r.Rows).ToList();
        report.Table("Gradient pass cost",
            "The served graphs of the bench models (`GradientPassBenchmark`): *forward* pruned to logits and activations (occlusion, RISE, Score-CAM, CAM); " +
            "*full* = forward + the emitted backward to ∂y/∂A and ∂y/∂x (gradient, SmoothGrad, IG); *∂y/∂A only* = pruned to logits, target_class, " +
            "activations and grad_activations (the five gradient CAMs). One ORT run per batch, target = predicted class, " +
            $"{Math.Max(settings.MinRepetitions, 5)}–{Math.Max(settings.MaxRepetitions, 30)} runs within the budget; p50 wall ms (CPU ms of the process). " +
            $"Target met: full ≤ {TargetRatio}× forward.",
            ["model", "batch", "forward ms", "full ms", "full / forward", $"target ≤ {TargetRatio}×", "∂y/∂A only ms", "∂y/∂A / forward"],
            rows.Select(r =>
            {
                var forward = r.Forward.Percentile(50);
                var ratio = r.Full.Percentile(50) / forward;
                return new[]
                {
                    r.Model, r.Batch.ToString(Inv), $"{Ms(forward)} ({Ms(r.Forward.CpuPercentile(50))})", $"{Ms(r.Full.Percentile(50))} ({Ms(r.Full.CpuPercentile(50))})",
                    $"{Num(ratio, "0.00")}×", ratio <= TargetRatio ? "**met**" : "not met",
                    $"{Ms(r.ActivationGradients.Percentile(50))} ({Ms(r.ActivationGradients.CpuPercentile(50))})", $"{Num(r.ActivationGradients.Percentile(50) / forward, "0.00")}×",
                };
            }),
            rows.Select(r => new
            {
                model = r.Model, batch = r.Batch, forward = r.Forward.Summary(), full = r.Full.Summary(), activationGradients = r.ActivationGradients.Summary(),
                fullRatio = r.Full.Percentile(50) / r.Forward.Percentile(50), activationGradientsRatio = r.ActivationGradients.Percentile(50) / r.Forward.Percentile(50),
            }));

        var graphs = results.Select(r => r.Graphs).ToList();
        report.Table("Gradient pass cost: nodes and ORT profile",
            $"Nodes of the exported graph per op type, and ORT's profiler on the full graph at batch {GradientPassBenchmark.Batches[^1]} (node time per op type " +
            "as ORT ran it, after its fusions and NCHWc layout transform, so ReorderInput/ReorderOutput appear; ms per run, the largest first).",
            ["model", "nodes: full (forward, ∂y/∂A only)", "full graph ops", "profile (ms per run, calls)"],
            graphs.Select(g => new[]
            {
                g.Model, $"{g.FullOps.Values.Sum()} ({g.ForwardNodes}, {g.ActivationGradientNodes})",
                string.Join(", ", g.FullOps.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")),
                g.Profile.Count == 0 ? "—" : $"run {Ms(g.ProfiledRunMs)}: " + string.Join(", ", g.Profile.Take(10).Select(p => $"{p.Op} {Ms(p.Ms)} (×{p.Calls})")),
            }),
            graphs.Select(g => new
            {
                model = g.Model, fullOps = g.FullOps, forwardNodes = g.ForwardNodes, activationGradientNodes = g.ActivationGradientNodes,
                profiledRunMs = g.ProfiledRunMs, profile = g.Profile.Select(p => new { op = p.Op, ms = p.Ms, calls = p.Calls }),
            }));
    }
}
