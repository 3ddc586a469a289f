using Microsoft.Playwright;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// The real service on loopback plus Debian's headless Chromium driven by Playwright, shared by a test
/// class. Playwright's own browser download cannot work offline, so it launches /usr/bin/chromium.
/// </summary>
public sealed class ChromiumSession : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Without the networking flags Chromium keeps dialling Google's hosts, which this closed network
    // refuses; Playwright gives every launch a fresh temporary --user-data-dir of its own.
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;

    /// <summary>The application behind <see cref="BaseAddress"/>, e.g. to register a model before the browser asks for it.</summary>
    public LoopbackExplainApiFactory Server { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} not found: the Swagger page tests need Debian's chromium package (scripts/install-os-packages.sh test).");
        }

        BaseAddress = Server.Start();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumFlags,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Server.DisposeAsync();
    }
}
