using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ExplainApi.Host.Tests.Infrastructure;

/// <summary>
/// The real application in memory, with its data folder in a fresh temporary directory and three keys:
/// an all-scopes key (through EXPLAINAPI_API_KEY), an infer-only key and a train-only key (both from
/// hashed configuration). Every log event is captured so tests can check what is (not) logged.
/// </summary>
public class ExplainApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string InferKey = "test-infer-key-0123456789";
    public const string TrainKey = "test-train-key-0123456789";

    private string? _dataDirectory;

    /// <summary>A fresh temporary folder, or (init) another factory's, to restart the application on its data.</summary>
    public string DataDirectory
    {
        get => _dataDirectory ??= Directory.CreateTempSubdirectory("explainapi-test-").FullName;
        init => _dataDirectory = value;
    }

    public ConcurrentQueue<LogEvent> LogEvents { get; } = new();

    /// <summary>
    /// Starts the host, which must fail, and returns why: the thrown exception and every error it logged. WebApplicationFactory
    /// can lose the race with the app's own disposal of a failed minimal-API host and throw ObjectDisposedException instead
    /// (dotnet/aspnetcore#33494), so the logged reason counts too.
    /// </summary>
    public string StartFailure()
    {
        var error = Xunit.Assert.ThrowsAny<Exception>(() => CreateClient());
        var logged = LogEvents.Where(e => e.Level == LogEventLevel.Error).Select(e => e.Exception?.ToString() ?? e.RenderMessage());
        return string.Join("\n", logged.Prepend(error.ToString()));
    }

    /// <summary>Extra configuration a test class needs (e.g. tight limits); applied last.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>False for a start with no key configured at all (the bootstrap-key path).</summary>
    protected virtual bool IncludeTestKeys => true;

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The first-start demo job would compete with every test for the CPU; DemoModelTests turn it on.
        var settings = new Dictionary<string, string?> { ["ExplainApi:DataDirectory"] = DataDirectory, ["ExplainApi:Demo:Enabled"] = "false" };
        var keys = new Dictionary<string, string?>
        {
            ["EXPLAINAPI_API_KEY"] = AdminKey,
            ["ExplainApi:Auth:Keys:0:Name"] = "infer-client",
            ["ExplainApi:Auth:Keys:0:Sha256"] = Auth.ApiKeyRegistry.HashHex(InferKey),
            ["ExplainApi:Auth:Keys:0:Scopes:0"] = "infer",
            ["ExplainApi:Auth:Keys:1:Name"] = "train-client",
            ["ExplainApi:Auth:Keys:1:Sha256"] = Auth.ApiKeyRegistry.HashHex(TrainKey),
            ["ExplainApi:Auth:Keys:1:Scopes:0"] = "train",
        };
        // Without test keys, also blank the environment's key so a developer's shell cannot leak one in.
        settings["EXPLAINAPI_API_KEY"] = "";
        if (IncludeTestKeys)
        {
            foreach (var (key, value) in keys)
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(new CollectingSink(LogEvents));
            ConfigureTestServices(services);
        });
    }

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private sealed class CollectingSink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
