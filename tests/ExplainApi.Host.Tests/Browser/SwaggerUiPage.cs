using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// What a person does on the Swagger page, one method per step. Selectors are Swagger UI 5's own class
/// names and aria-labels; every wait is on an element, never a sleep.
/// </summary>
public sealed partial class SwaggerUiPage(IPage page)
{
    public const string InspectPath = "/v1/images/inspect";

    private const float Timeout = 30_000;

    private ILocator Inspect => page.Locator($".opblock-post:has(.opblock-summary-path[data-path='{InspectPath}'])");

    /// <summary>The status and body Swagger UI shows under "Server response".</summary>
    public ILocator ResponseStatus => Inspect.Locator(".live-responses-table tr.response .response-col_status");

    public ILocator ResponseDetails => Inspect.Locator(".live-responses-table tr.response .response-col_description");

    public async Task OpenAsync(Uri baseAddress)
    {
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync(new Uri(baseAddress, "/swagger/index.html").ToString());
        await Inspect.WaitForAsync();
    }

    public async Task AuthorizeWithBearerAsync(string apiKey)
    {
        await page.Locator(".auth-wrapper button.authorize").ClickAsync();
        var dialog = page.Locator(".modal-ux");
        // Each scheme is its own form with its own Authorize and Close buttons.
        var bearer = dialog.Locator("form").Filter(new() { HasTextRegex = BearerHeading() });
        await bearer.GetByLabel("auth-bearer-value").FillAsync(apiKey);
        await bearer.GetByRole(AriaRole.Button, new() { Name = "Apply credentials" }).ClickAsync();
        // Swagger UI swaps the field for a masked value and a Logout button once the key is taken.
        await bearer.GetByRole(AriaRole.Button, new() { Name = "Remove authorization" }).WaitForAsync();
        await bearer.Locator("button.btn-done").ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Expands the operation, picks image/png as the body type and puts the file in its picker.</summary>
    public async Task ChooseFileAsync(string fileName, byte[] png)
    {
        await Inspect.Locator(".opblock-summary").ClickAsync();
        await Inspect.GetByLabel("Request content type").SelectOptionAsync("image/png");
        await Inspect.Locator(".opblock-section-request-body input[type=file]").SetInputFilesAsync(
            new FilePayload { Name = fileName, MimeType = "image/png", Buffer = png });
    }

    public async Task ExecuteAsync()
    {
        await Inspect.Locator("button.execute").ClickAsync();
        await ResponseStatus.WaitForAsync();
    }

    /// <summary>The expanded operation, from its header down to the server's response.</summary>
    public async Task ScreenshotAsync(string path)
    {
        // Bounding boxes are relative to the viewport, a full-page clip to the page: add the scroll offset.
        var scrollY = await page.EvaluateAsync<float>("window.scrollY");
        var top = await Inspect.BoundingBoxAsync() ?? throw new InvalidOperationException("operation not rendered");
        var bottom = await Inspect.Locator(".live-responses-table").BoundingBoxAsync() ?? throw new InvalidOperationException("response not rendered");
        await page.ScreenshotAsync(new()
        {
            Path = path,
            FullPage = true,
            Clip = new() { X = 0, Y = scrollY + top.Y - 8, Width = page.ViewportSize!.Width, Height = bottom.Y + bottom.Height - top.Y + 16 },
        });
    }

    [GeneratedRegex(@"^\s*Bearer\s*\(http")]
    private static partial Regex BearerHeading();
}
