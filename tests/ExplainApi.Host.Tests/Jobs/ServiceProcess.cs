using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>
/// The real service as a separate OS process (the build output beside the tests), so that a test can
/// kill it with SIGKILL and start it again on the same data folder.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory, string apiKey, IDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExplainApi.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ExplainApi__DataDirectory"] = dataDirectory;
        start.Environment["EXPLAINAPI_API_KEY"] = apiKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ExplainApi__Demo__Enabled"] = "false"; // a test that wants the demo job passes it in settings
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = service.Address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/healthz/live")).StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        service.Dispose();
        throw new InvalidOperationException($"The service did not start (exited: {process.HasExited}).");
    }

    /// <summary>SIGKILL: no shutdown hooks, no final checkpoint, exactly like a power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
