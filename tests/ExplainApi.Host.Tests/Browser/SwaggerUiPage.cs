using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// What a person does on the Swagger page, one method per step. Selectors are Swagger UI 5's own class
/// names and aria-labels; every wait is on an element, never a sleep.
/// </summary>
public sealed partial class SwaggerUiPage(IPage page, string operationPath = SwaggerUiPage.InspectPath)
{
    public const string InspectPath = "/v1/images/inspect";
    public const string SaliencyPath = "/v1/models/{name}/saliency";

    private const float Timeout = 30_000;

    /// <summary>The POST operation this page works on (one per page object).</summary>
    private ILocator Inspect => page.Locator($".opblock-post:has(.opblock-summary-path[data-path='{operationPath}'])");

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

    /// <summary>The response body as Swagger UI shows it (highlighted JSON; its text is the body).</summary>
    public ILocator ResponseBody => ResponseDetails.Locator(".highlight-code pre").First;

    /// <summary>The image Swagger UI draws in "Server response" for an image/* answer.</summary>
    public ILocator ResponseImage => ResponseDetails.Locator("img");

    /// <summary>Expands the operation (once; a second click would fold it again).</summary>
    public async Task ExpandAsync()
    {
        if (!await Inspect.Locator(".opblock-body").IsVisibleAsync())
        {
            await Inspect.Locator(".opblock-summary").ClickAsync();
        }

        await Inspect.Locator(".opblock-body").WaitForAsync();
    }

    /// <summary>Types a path or query parameter's value; an empty value clears the field (e.g. an example Swagger UI filled in).</summary>
    public Task FillParameterAsync(string name, string value) =>
        Inspect.Locator($"tr[data-param-name='{name}'] input[type=text]").First.FillAsync(value);

    /// <summary>An array query parameter: keeps exactly one item and types <paramref name="value"/> into it.</summary>
    public async Task FillArrayParameterAsync(string name, string value)
    {
        var row = Inspect.Locator($"tr[data-param-name='{name}']");
        var remove = row.Locator("button.json-schema-form-item-remove");
        while (await remove.CountAsync() > 1)
        {
            await remove.Last.ClickAsync();
        }

        if (await remove.CountAsync() == 0)
        {
            await row.Locator("button.json-schema-form-item-add").ClickAsync();
        }

        await row.Locator("input[type=text]").First.FillAsync(value);
    }

    /// <summary>The media type of the 200 answer, which Swagger UI sends as the Accept header.</summary>
    public Task AcceptAsync(string mediaType) =>
        Inspect.Locator(".responses-wrapper").GetByLabel("Media Type").First.SelectOptionAsync(mediaType);

    /// <summary>Expands the operation, picks image/png as the body type and puts the file in its picker.</summary>
    public async Task ChooseFileAsync(string fileName, byte[] png)
    {
        await ExpandAsync();
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
