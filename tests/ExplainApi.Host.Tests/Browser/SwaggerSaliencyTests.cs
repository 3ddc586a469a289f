using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.Playwright;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// The README's first-start promise, kept by a real browser: with a classifier registered as
/// squares-classifier (here a seeded, untrained ResNet exported with its backward graph, so the test needs
/// no training), open /swagger, authorize, expand POST /v1/models/{name}/saliency, fill name and
/// method=gradcam, upload a squares PNG, execute and read the answer on the page.
/// </summary>
[Trait("Category", "Browser")]
public sealed class SwaggerSaliencyTests(SwaggerSaliencyTests.Fixture fixture) : IClassFixture<SwaggerSaliencyTests.Fixture>
{
    public const string Model = "squares-classifier";
    private const int Size = SquaresDataset.DefaultSize;

    [Fact]
    public async Task An_authorized_person_asks_for_a_Grad_CAM_overlay_and_sees_it_drawn()
    {
        await using var context = await NewContextAsync();
        // Only what the README asks for; target, render and colormap keep the examples Swagger UI fills in
        // (target "abnormal", the demo model's class: an example that is no class of the model would fail here).
        var swagger = await OpenSaliencyAsync(context, accept: "image/png");
        await swagger.ExecuteAsync();

        var details = await swagger.ResponseDetails.InnerTextAsync();
        Assert.True("200" == (await swagger.ResponseStatus.InnerTextAsync()).Trim(), $"Swagger UI showed: {details}");
        // Swagger UI draws an image/* answer as an <img> from a blob URL: it must have decoded, at the upload's size.
        await swagger.ResponseImage.WaitForAsync();
        var size = await swagger.ResponseImage.EvaluateAsync<int[]>("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])");
        Assert.Equal([Size, Size], size);
        Assert.Contains("content-type: image/png", details, StringComparison.OrdinalIgnoreCase);
        // The README's picture; refreshed on request only, since port and timings change it every run.
        if (Environment.GetEnvironmentVariable("EXPLAINAPI_UPDATE_SCREENSHOTS") == "1")
        {
            await swagger.ScreenshotAsync(Path.Combine(TestImages.RepositoryRoot(), "docs", "swagger-saliency.png"));
        }
    }

    [Fact]
    public async Task The_JSON_answer_on_the_page_holds_the_Grad_CAM_map_of_the_predicted_class()
    {
        await using var context = await NewContextAsync();
        var swagger = await OpenSaliencyAsync(context, accept: "application/json");
        // No target: the predicted class is explained.
        await swagger.FillParameterAsync("target", "");
        await swagger.ExecuteAsync();

        var details = await swagger.ResponseDetails.InnerTextAsync();
        Assert.True("200" == (await swagger.ResponseStatus.InnerTextAsync()).Trim(), $"Swagger UI showed: {details}");
        // The page's highlighted body is the JSON the service sent; read it back from the element, not the screen text.
        var body = await swagger.ResponseBody.TextContentAsync();
        var image = JsonDocument.Parse(body!).RootElement.GetProperty("images")[0];
        var predicted = image.GetProperty("predictions").EnumerateArray().MaxBy(p => p.GetProperty("probability").GetDouble());
        Assert.Equal(predicted.GetProperty("index").GetInt32(), image.GetProperty("target").GetProperty("index").GetInt32());
        var explanation = Assert.Single(image.GetProperty("explanations").EnumerateArray());
        Assert.Equal("gradcam", explanation.GetProperty("method").GetString());
        Assert.Equal(new PngHeader(Size, Size, 16, 0), PngHeader.Read(Convert.FromBase64String(explanation.GetProperty("png").GetString()!)));
    }

    private async Task<SwaggerUiPage> OpenSaliencyAsync(IBrowserContext context, string accept)
    {
        var swagger = new SwaggerUiPage(await context.NewPageAsync(), SwaggerUiPage.SaliencyPath);
        await swagger.OpenAsync(fixture.Session.BaseAddress);
        await swagger.AuthorizeWithBearerAsync(ExplainApiFactory.InferKey);
        await swagger.ExpandAsync();
        await swagger.FillParameterAsync("name", Model);
        await swagger.FillArrayParameterAsync("method", "gradcam");
        await swagger.AcceptAsync(accept);
        await swagger.ChooseFileAsync("squares-abnormal.png", fixture.Png);
        return swagger;
    }

    // A fresh context per test: no authorization or cookies leak from one test into the other.
    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Session.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1600 } });

    /// <summary>Browser, Kestrel host and the registered classifier, shared by the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public ChromiumSession Session { get; } = new();

        /// <summary>An abnormal squares image (both boxes) as a 16-bit grey PNG.</summary>
        public byte[] Png { get; } = SquaresPng(new SquaresDataset(count: 4, size: Size, seed: 3), index: 1);

        public async Task InitializeAsync()
        {
            await Session.InitializeAsync();
            byte[] onnx;
            using (var model = new ResNetClassifier(1, Size, Size, classes: 2, baseWidth: 8, depth: 2))
            {
                model.InitializeWeights(11);
                model.eval();
                onnx = ResNetOnnx.Export(model);
            }

            await SaliencyFixture.RegisterAsync(Session.Server, Model, onnx, allowResize: false, size: Size, classes: [.. SquaresDataset.Classes]);
            using var client = Session.Server.CreateClient(ExplainApiFactory.InferKey);
            await SaliencyFixture.WaitUntilReadyAsync(client, Model, 1);
        }

        public Task DisposeAsync() => Session.DisposeAsync();

        private static byte[] SquaresPng(SquaresDataset dataset, int index)
        {
            var pixels = dataset.Get(index).Pixels;
            var levels = pixels.Select(v => (ushort)Math.Round(Math.Clamp((v + 1) / 2, 0, 1) * ushort.MaxValue)).ToArray();
            return PngEncoder.EncodeGrey16(levels, dataset.Width, dataset.Height);
        }
    }
}
