using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Net;
using System.Net.Sockets;
using ExplainApi.Onnx;

namespace ExplainApi.Bench;

/// <summary>
/// The real service (its built ExplainApi.Host.dll, Production settings) as a child process on a free loopback
/// port, with its own data folder and one API key from EXPLAINAPI_API_KEY; ready once /healthz/ready answers 200 and
/// the given models' own readiness too (service readiness never waits for models; bounded: 120 s).
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process process;

    private ServiceProcess(Process process, Uri address) => (this.process, Address) = (process, address);

    public Uri Address { get; }

    /// <summary>The server's own time per answered request (its request log's ElapsedMs), in the order the lines arrived.</summary>
    public ConcurrentQueue<(string Route, double Milliseconds)> RequestTimes { get; } = new();

    /// <summary>The service process's CPU time so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static Task<ServiceProcess> StartAsync(string hostDll, string dataDirectory, string apiKey, AcceleratorPreference accelerator, params string[] models) =>
        StartAsync(hostDll, dataDirectory, apiKey, accelerator, null, models);

    /// <param name="environment">Settings of this run on top of the ones below (e.g. ExplainApi__Batching__Enabled).</param>
    public static async Task<ServiceProcess> StartAsync(
        string hostDll, string dataDirectory, string apiKey, AcceleratorPreference accelerator, IReadOnlyDictionary<string, string>? environment, params string[] models)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        start.ArgumentList.Add(hostDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ExplainApi__DataDirectory"] = dataDirectory;
        start.Environment["EXPLAINAPI_API_KEY"] = apiKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // A load test is not abuse: lift the per-key rate limit for this run only.
        start.Environment["ExplainApi__RateLimit__PermitsPerWindow"] = "1000000";
        start.Environment["ExplainApi__Accelerator"] = accelerator.ToString().ToLowerInvariant();
        // appsettings.json turns the demo on (for ./run.sh): it would train its models inside the measured service.
        start.Environment["ExplainApi__Demo__Enabled"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        // Logging stays as deployed (one CLEF line per request on stdout, drained below): it is part of the service's cost.
        ServiceProcess? service = null;
        var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        child.OutputDataReceived += (_, e) => service?.Collect(e.Data);
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        service = new ServiceProcess(child, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !child.HasExited)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK
                    && await AllReadyAsync(client, models))
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        service.Dispose();
        throw new InvalidOperationException($"The service did not become ready (exited: {child.HasExited}).");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    /// <summary>Keeps the route and elapsed time of each CLEF request line (RequestLoggingMiddleware's event).</summary>
    private void Collect(string? line)
    {
        if (line is null || !line.Contains("\"ElapsedMs\"", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            RequestTimes.Enqueue((root.GetProperty("RoutePattern").GetString() ?? "", root.GetProperty("ElapsedMs").GetDouble()));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a request line after all.
        }
    }

    private static async Task<bool> AllReadyAsync(HttpClient client, string[] models)
    {
        foreach (var model in models)
        {
            if ((await client.GetAsync(new Uri($"/v2/models/{model}/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
        }

        return true;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
