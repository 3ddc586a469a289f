using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ExplainApi.Core.Models;

namespace ExplainApi.Bench;

/// <summary>One method on one model: HTTP latency against the server's own compute for the same requests.</summary>
public sealed record OverheadResult(string Model, string Method, LatencySample Http, LatencySample Server, LatencySample Compute)
{
    /// <summary>Issue 11's definition: HTTP p50 − server compute p50.</summary>
    public double OverheadMs => Http.Percentile(50) - Compute.Percentile(50);
}

/// <summary>
/// What a request costs beyond its compute: one client, one request at a time (nothing queues), a PNG body and a JSON
/// answer with one map. Compute is what the answer reports for itself: the batched forward, the gradient pass and the
/// method (<c>timings</c> and the explanation's milliseconds); the rest of the HTTP round trip — transport, routing,
/// authentication, lookup, decoding, preprocessing, rendering, PNG/base64/JSON — is the overhead.
/// </summary>
public static class OverheadBenchmark
{
    public static readonly string[] Methods = ["cam", "gradcam", "eigencam"];

    /// <summary>The method column of the floor row.</summary>
    public const string FloorMethod = "floor: GET ready";

    /// <summary>
    /// Requests per route before any row is measured: the steady state of a long-running service. Tiered JIT runs a fresh
    /// process's request path as unoptimised tier-0 code, then PGO-instrumented code, until each hot method has been called
    /// 30 times and recompiled in the background; with 5 warm-ups most of 200 measured requests ran on that code, and with
    /// 300 per row, warmed row by row, the first rows still shared the cores with that compiling (the first floor row
    /// measured 0.74 ms, the second 0.25).
    /// </summary>
    public const int SteadyStateWarmup = 300;

    /// <summary>After the warm-up of every route: time for the background tier-1 compiles it queued to finish.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    /// <summary>Requests repeated right before each row: its own caches warm again after the other routes ran.</summary>
    private const int RowWarmup = 20;

    private static int Warmup(BenchSettings settings) => settings.Quick ? 5 : SteadyStateWarmup;

    public static async Task<IReadOnlyList<OverheadResult>> RunAsync(string hostDll, string workDirectory, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var data = Directory.CreateDirectory(Path.Combine(workDirectory, "overhead-data")).FullName;
        var registry = new FileModelRegistry(Path.Combine(data, "models"));
        var scratch = Path.Combine(workDirectory, "overhead-export");
        var models = new[]
        {
            (Manifest: await BenchModel.RegisterAsync(registry, "overhead-112", 1, 112, BenchRun.DefaultWidth, scratch), Channels: 1, Size: 112),
            (Manifest: await BenchModel.RegisterAsync(registry, "overhead-224", 3, 224, BenchRun.DefaultWidth, scratch), Channels: 3, Size: 224),
        };
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        using var service = await ServiceProcess.StartAsync(hostDll, data, apiKey, settings.Accelerator, [.. models.Select(m => m.Manifest.Name)]);
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        Func<HttpRequestMessage> Saliency(ModelManifest manifest, int channels, int size, string method) =>
            LoadGenerator.PngPost($"/v1/models/{manifest.Name}/saliency?method={method}", ServiceBenchmark.Png(channels, size), apiKey, "application/json");

        // Every route of every row first, round after round, so no row is measured while another's code still compiles.
        var routes = models.SelectMany(m => Methods.Select(method => Saliency(m.Manifest, m.Channels, m.Size, method))).ToList();
        for (var i = 0; i < Warmup(settings); i++)
        {
            foreach (var model in models)
            {
                await FloorOnceAsync(client, model.Manifest.Name, apiKey);
            }

            foreach (var route in routes)
            {
                await OnceAsync(client, route);
            }
        }

        await Task.Delay(settings.Quick ? TimeSpan.Zero : SettleTime);
        var results = new List<OverheadResult>();
        foreach (var (manifest, channels, size) in models)
        {
            results.Add(await FloorAsync(client, manifest.Name, apiKey, service, settings, $"{channels}×{size}²", log));
            foreach (var method in Methods)
            {
                var request = Saliency(manifest, channels, size, method);
                for (var i = 0; i < RowWarmup; i++)
                {
                    await OnceAsync(client, request);
                }

                await Task.Delay(200); // the warm-ups' request log lines
                service.RequestTimes.Clear();
                var (http, compute) = (new LatencySample(), new LatencySample());
                var budget = Stopwatch.StartNew();
                for (var n = 0; n < settings.MaxRepetitions * 4 && (n < settings.MinRepetitions || budget.Elapsed < settings.MethodBudget); n++)
                {
                    var (elapsed, computeMs) = await OnceAsync(client, request);
                    http.Add(elapsed);
                    compute.Add(TimeSpan.FromMilliseconds(computeMs));
                }

                var server = await ServerTimesAsync(service, http.Count);
                var result = new OverheadResult($"{channels}×{size}²", method, http, server, compute);
                log.WriteLine($"  {result.Model} {method}: HTTP p50 {http.Percentile(50):0.00} ms, server p50 {server.Percentile(50):0.00} ms, " +
                    $"compute p50 {compute.Percentile(50):0.00} ms, overhead {result.OverheadMs:0.00} ms (n={http.Count})");
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// The HTTP floor beside the saliency rows: the lightest authenticated model route (KServe model readiness: pipeline,
    /// authentication, model lookup, a small JSON answer, no body, no compute) through the same client.
    /// </summary>
    private static async Task<OverheadResult> FloorAsync(
        HttpClient client, string model, string apiKey, ServiceProcess service, BenchSettings settings, string label, TextWriter log)
    {
        Task<TimeSpan> Once() => FloorOnceAsync(client, model, apiKey);
        for (var i = 0; i < RowWarmup; i++)
        {
            await Once();
        }

        await Task.Delay(200);
        service.RequestTimes.Clear();
        var (http, compute) = (new LatencySample(), new LatencySample());
        var budget = Stopwatch.StartNew();
        for (var n = 0; n < settings.MaxRepetitions * 4 && (n < settings.MinRepetitions || budget.Elapsed < settings.MethodBudget); n++)
        {
            http.Add(await Once());
            compute.Add(TimeSpan.Zero);
        }

        var result = new OverheadResult(label, FloorMethod, http, await ServerTimesAsync(service, http.Count), compute);
        log.WriteLine($"  {label} floor (GET ready): HTTP p50 {http.Percentile(50):0.00} ms, server p50 {result.Server.Percentile(50):0.00} ms (n={http.Count})");
        return result;
    }

    private static async Task<TimeSpan> FloorOnceAsync(HttpClient client, string model, string apiKey)
    {
        var clock = Stopwatch.StartNew();
        using var message = new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{model}/ready");
        message.Headers.Add("X-Api-Key", apiKey);
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        _ = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? clock.Elapsed : throw new InvalidOperationException($"{(int)response.StatusCode} from {model}'s readiness");
    }

    /// <summary>The server's own elapsed time of the last <paramref name="count"/> requests, from its request log (waits up to 2 s for the lines).</summary>
    private static async Task<LatencySample> ServerTimesAsync(ServiceProcess service, int count)
    {
        for (var wait = 0; wait < 20 && service.RequestTimes.Count < count; wait++)
        {
            await Task.Delay(100);
        }

        var sample = new LatencySample();
        foreach (var (_, milliseconds) in service.RequestTimes)
        {
            sample.Add(TimeSpan.FromMilliseconds(milliseconds));
        }

        return sample;
    }

    private static async Task<(TimeSpan Elapsed, double ComputeMs)> OnceAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        var clock = Stopwatch.StartNew();
        using var message = request();
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = clock.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var timings = root.GetProperty("timings");
        var compute = timings.GetProperty("forwardMilliseconds").GetDouble() + timings.GetProperty("gradientMilliseconds").GetDouble();
        foreach (var explanation in root.GetProperty("images")[0].GetProperty("explanations").EnumerateArray())
        {
            compute += explanation.GetProperty("milliseconds").GetDouble();
        }

        return (elapsed, compute);
    }
}
