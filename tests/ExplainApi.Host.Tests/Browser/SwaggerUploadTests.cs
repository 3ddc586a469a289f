using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// The README's promise, kept by a real browser: open /swagger, authorize, upload a PNG to
/// POST /v1/images/inspect and read the answer on the page.
/// </summary>
[Trait("Category", "Browser")]
public sealed class SwaggerUploadTests(ChromiumSession session) : IClassFixture<ChromiumSession>
{
    private static readonly byte[] Gradient = TestImages.Gradient8(32, 24);

    [Fact]
    public async Task An_authorized_person_uploads_a_png_and_sees_its_geometry()
    {
        await using var context = await NewContextAsync();
        var swagger = new SwaggerUiPage(await context.NewPageAsync());
        await swagger.OpenAsync(session.BaseAddress);
        await swagger.AuthorizeWithBearerAsync(ExplainApiFactory.AdminKey);
        await swagger.ChooseFileAsync("gradient.png", Gradient);
        await swagger.ExecuteAsync();

        var details = await swagger.ResponseDetails.InnerTextAsync();
        Assert.True("200" == (await swagger.ResponseStatus.InnerTextAsync()).Trim(), $"Swagger UI showed: {details}");
        Assert.Contains("\"width\": 32", details, StringComparison.Ordinal);
        Assert.Contains("\"height\": 24", details, StringComparison.Ordinal);
        // The README's picture; refreshed on request only, since port and timings change it every run.
        if (Environment.GetEnvironmentVariable("EXPLAINAPI_UPDATE_SCREENSHOTS") == "1")
        {
            await swagger.ScreenshotAsync(Path.Combine(TestImages.RepositoryRoot(), "docs", "swagger-upload.png"));
        }
    }

    [Fact]
    public async Task Without_authorizing_execute_shows_401()
    {
        await using var context = await NewContextAsync();
        var swagger = new SwaggerUiPage(await context.NewPageAsync());
        await swagger.OpenAsync(session.BaseAddress);
        await swagger.ChooseFileAsync("gradient.png", Gradient);
        await swagger.ExecuteAsync();

        var details = await swagger.ResponseDetails.InnerTextAsync();
        Assert.True("401" == (await swagger.ResponseStatus.InnerTextAsync()).Trim(), $"Swagger UI showed: {details}");
        Assert.Contains("Unauthorized", details, StringComparison.Ordinal);
        Assert.Contains("\"status\": 401", details, StringComparison.Ordinal);
    }

    // A fresh context per test: no authorization or cookies leak from one test into the other.
    private Task<IBrowserContext> NewContextAsync() =>
        session.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1600 } });
}
