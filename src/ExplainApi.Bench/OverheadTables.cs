using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The request-overhead table (issue 11, item 1).</summary>
public static class OverheadTables
{
    /// <summary>Issue 11's target: at most this much overhead for a JSON answer with one map at 112².</summary>
    public const double TargetMs = 2.0;

    public static void Overhead(BenchReport report, IReadOnlyList<OverheadResult> results)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        report.Table("Request overhead",
            "The host as its own process (Production settings, request logging on), one loopback client sending one request at a time " +
            $"(POST `/v1/models/{{name}}/saliency?method=…`, an 8-bit PNG body at the model's size, `Accept: application/json`, one map), measured after {OverheadBenchmark.SteadyStateWarmup} warm-up rounds over every row's route (5 with `--quick`) and a " +
            $"{OverheadBenchmark.SettleTime.TotalSeconds:0} s pause: the steady state of a running service, whose first requests run on tier-0 JIT code and whose " +
            "tier-1 recompiles run in the background for seconds after. " +
            "*Compute* is what each answer reports of itself: the batched forward, the gradient pass and the method; *overhead* = HTTP p50 − compute p50 " +
            "(transport, routing, authentication, model lookup, admission, decoding, preprocessing, PNG rendering, base64 and JSON); *server* is the " +
            "service's own elapsed time per request (its request log line, from the first middleware to the last byte written), so server − compute is " +
            "the overhead inside the service and HTTP − server the loopback transport and the client. " +
            $"The *{OverheadBenchmark.FloorMethod}* rows are the floor on this machine: the lightest authenticated model route (`GET /v2/models/{{name}}/ready`: " +
            "the same pipeline, authentication and model lookup, no body, no compute) through the same client. " +
            $"Target (issue 11): ≤ {TargetMs:0} ms at 112².",
            ["model", "method", "requests", "HTTP p50 ms", "HTTP p95 ms", "server p50 ms", "compute p50 ms", "overhead ms", "of it in the server ms", "target"],
            results.Select(r => new[]
            {
                r.Model, r.Method, r.Http.Count.ToString(Inv), Ms(r.Http.Percentile(50)), Ms(r.Http.Percentile(95)), Ms(r.Server.Percentile(50)), Ms(r.Compute.Percentile(50)), Ms(r.OverheadMs),
                Ms(r.Server.Percentile(50) - r.Compute.Percentile(50)),
                r.Model.EndsWith("112²", StringComparison.Ordinal) && r.Method != OverheadBenchmark.FloorMethod ? (r.OverheadMs <= TargetMs ? "met" : "not met") : "—",
            }),
            results.Select(r => new { model = r.Model, method = r.Method, http = r.Http.Summary(), server = r.Server.Summary(), compute = r.Compute.Summary(), overheadMs = r.OverheadMs }));
    }
}
