using System.Security.Cryptography;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Bench;

/// <summary>One method at one concurrency against the running service.</summary>
/// <param name="ClientCpu">The load generator's own CPU time during the level (this process), when measured.</param>
public sealed record ServiceResult(string Method, LoadGenerator.Result Load, TimeSpan ServerCpu, TimeSpan? ClientCpu = null)
{
    /// <summary>The service's CPU time per successful request: its work, whatever else loads the machine.</summary>
    public double ServerCpuMsPerRequest => ServerCpu.TotalMilliseconds / Math.Max(Load.Succeeded, 1);

    /// <summary>The load generator's CPU time per successful request (it shares the cores on loopback).</summary>
    public double? ClientCpuMsPerRequest => ClientCpu?.TotalMilliseconds / Math.Max(Load.Succeeded, 1);

    /// <summary>
    /// Requests/s this setup cannot exceed whatever the batching: the processors' CPU time over the CPU one request costs
    /// the service and the client together (both run on these cores).
    /// </summary>
    public double? CpuCeiling(int processors) =>
        ClientCpuMsPerRequest is { } client ? processors * 1000.0 / (ServerCpuMsPerRequest + client) : null;
}

/// <summary>
/// The service end to end: the model registered into the service's own data folder as training does, the host
/// started as a process, then POST /v1/models/{name}/saliency?method=… with a PNG body and Accept: application/json
/// from 1, 8 and 32 concurrent loopback clients, each level for a bounded time after a short warm-up.
/// </summary>
public static class ServiceBenchmark
{
    public static async Task<IReadOnlyList<ServiceResult>> RunAsync(
        string hostDll, string workDirectory, int channels, int size, int width, string[] methods, BenchSettings settings, TextWriter log,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(methods);
        var data = Directory.CreateDirectory(Path.Combine(workDirectory, "service-data")).FullName;
        var registry = new FileModelRegistry(Path.Combine(data, "models"));
        var manifest = await BenchModel.RegisterAsync(registry, "bench", channels, size, width, Path.Combine(workDirectory, "service-export"));
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        using var service = await ServiceProcess.StartAsync(hostDll, data, apiKey, settings.Accelerator, environment, manifest.Name);
        log.WriteLine($"  service ready at {service.Address}");
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        var png = Png(channels, size);
        var results = new List<ServiceResult>();
        foreach (var method in methods)
        {
            var request = LoadGenerator.PngPost($"/v1/models/{manifest.Name}/saliency?method={method}", png, apiKey, "application/json");
            await LoadGenerator.RunAsync(client, request, 2, TimeSpan.FromSeconds(settings.Quick ? 0.5 : 2), maxRequests: 50); // warm-up
            foreach (var clients in settings.ClientCounts)
            {
                var (cpu, own) = (service.CpuTime, Environment.CpuUsage.TotalTime);
                var load = await LoadGenerator.RunAsync(client, request, clients, settings.LoadDuration);
                var (serverCpu, clientCpu) = (service.CpuTime - cpu, Environment.CpuUsage.TotalTime - own);
                log.WriteLine($"  {method} × {clients} clients: {load.RequestsPerSecond:0.0} req/s, p50 {load.Latency.Percentile(50):0.0} ms, p95 {load.Latency.Percentile(95):0.0} ms, server CPU {serverCpu.TotalMilliseconds / Math.Max(load.Succeeded, 1):0.0} ms/request, {load.Failed} error(s){(load.FirstError is null ? "" : $" (first: {load.FirstError})")}");
                results.Add(new ServiceResult(method, load, serverCpu, clientCpu));
            }
        }

        return results;
    }

    /// <summary>A seeded 8-bit PNG of the model's size (grey for one channel, RGB for three).</summary>
    internal static byte[] Png(int channels, int size)
    {
        var random = new SplitMix64(42);
        var samples = new byte[size * size * channels];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (byte)random.NextInt(256);
        }

        return PngEncoder.Encode(samples, size, size, channels == 1 ? PngPixelFormat.Grey8 : PngPixelFormat.Rgb8);
    }
}
