using System.Security.Cryptography;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Bench;

/// <summary>
/// POST /v1/models/{name}/difference-map end to end, as <see cref="ServiceBenchmark"/> does for saliency: the VA-GAN and its
/// linked classifier (<see cref="DifferenceMapModels"/>) registered into the service's own data folder, the host started
/// as a process, one PNG of a class-from squares image per request, Accept: application/json, 1 and 8 loopback clients.
/// </summary>
public static class DifferenceMapServiceBenchmark
{
    public static readonly int[] ClientCounts = [1, 8];

    public static async Task<IReadOnlyList<ServiceResult>> RunAsync(string hostDll, string work, SquaresDataset dataset, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var data = Directory.CreateDirectory(Path.Combine(work, "difference-map-service")).FullName;
        var registry = new FileModelRegistry(Path.Combine(data, "models"));
        var manifest = await DifferenceMapModels.RegisterAsync(registry, dataset, Path.Combine(work, "difference-map-service-export"));
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        using var service = await ServiceProcess.StartAsync(hostDll, data, apiKey, settings.Accelerator, DifferenceMapModels.ClassifierName, manifest.Name);
        log.WriteLine($"  service ready at {service.Address}");
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        var request = LoadGenerator.PngPost($"/v1/models/{manifest.Name}/difference-map", Png(dataset, manifest), apiKey, "application/json");
        await LoadGenerator.RunAsync(client, request, 2, TimeSpan.FromSeconds(settings.Quick ? 0.5 : 2), maxRequests: 50); // warm-up
        var results = new List<ServiceResult>();
        foreach (var clients in ClientCounts)
        {
            var cpu = service.CpuTime;
            var load = await LoadGenerator.RunAsync(client, request, clients, settings.LoadDuration);
            var result = new ServiceResult("difference-map", load, service.CpuTime - cpu);
            log.WriteLine($"  {clients} client(s): {load.RequestsPerSecond:0.0} req/s, p50 {load.Latency.Percentile(50):0.0} ms, p95 {load.Latency.Percentile(95):0.0} ms, " +
                $"server CPU {result.ServerCpuMsPerRequest:0.0} ms/request, {load.Failed} error(s){(load.FirstError is null ? "" : $" (first: {load.FirstError})")}");
            results.Add(result);
        }

        return results;
    }

    /// <summary>The first class-from image as an 8-bit grey PNG ([−1, 1] → 0…255; the route's min–max normalisation maps it back).</summary>
    private static byte[] Png(SquaresDataset dataset, ModelManifest manifest)
    {
        var from = dataset.ClassNames.ToList().IndexOf(manifest.DifferenceMap!.Directions[0].FromClass);
        var pixels = dataset.Get(Enumerable.Range(0, dataset.Count).First(i => dataset.LabelOf(i) == from)).Pixels;
        var samples = pixels.Select(v => (byte)Math.Clamp(Math.Round((v + 1) * 127.5), 0, 255)).ToArray();
        return PngEncoder.Encode(samples, dataset.Width, dataset.Height, PngPixelFormat.Grey8);
    }
}
