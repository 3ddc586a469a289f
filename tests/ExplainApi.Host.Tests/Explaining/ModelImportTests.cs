using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using ExplainApi.Onnx.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class ModelImportTests
{
    internal static string Spec(string name = "users-net", string targetTensor = TinyConvNet.ImportedTensor, int height = 8) => JsonSerializer.Serialize(new
    {
        name,
        input = new { channels = 1, height, width = 8, allowResize = false },
        classNames = new[] { "healthy", "lesion", "other" },
        targetTensor,
    });

    internal static MultipartFormDataContent Form(byte[] onnx, string spec)
    {
        var model = new ByteArrayContent(onnx);
        model.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { model, "model", "model.onnx" }, { new StringContent(spec), "spec" } };
    }

    [Fact]
    public async Task An_imported_classifier_is_registered_served_and_explained_by_forward_only_methods()
    {
        using var factory = new ExplainApiFactory();
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);

        var response = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal("/v1/models/users-net/versions/1", response.Headers.Location?.OriginalString);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal([TinyConvNet.ImportedTensor], result.GetProperty("manifest").GetProperty("classification").GetProperty("targetLayers").EnumerateArray().Select(t => t.GetString()));
        var supported = result.GetProperty("supportedMethods").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["scorecam", "ablationcam", "eigencam", "occlusion", "rise"], supported);
        Assert.Contains("backward graph", result.GetProperty("unsupportedMethods").GetProperty("gradcam").GetString());

        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        await SaliencyFixture.WaitUntilReadyAsync(infer, "users-net", 1);
        var png = TestImages.PngContent(TestImages.Gradient8(8, 8));
        var maps = await infer.PostAsync("/v1/models/users-net/saliency?method=scorecam,ablationcam,eigencam,occlusion,rise", png);
        var json = await maps.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(supported, json.GetProperty("images")[0].GetProperty("explanations").EnumerateArray().Select(e => e.GetProperty("method").GetString()));

        var all = await infer.PostAsync("/v1/models/users-net/saliency?method=all", TestImages.PngContent(TestImages.Gradient8(8, 8)));
        Assert.Equal(5, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("images")[0].GetProperty("explanations").GetArrayLength());

        foreach (var method in new[] { "gradcam", "cam", "integratedgradients" })
        {
            var refused = await infer.PostAsync($"/v1/models/users-net/saliency?method={method}", TestImages.PngContent(TestImages.Gradient8(8, 8)));
            var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:method-unsupported");
            Assert.Contains("Model lacks", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(0, factory.Services.GetRequiredService<ModelSessionCache>().OrtValues.Live);
    }

    [Fact]
    public async Task The_same_bytes_and_spec_again_answer_the_existing_version_200_and_another_spec_is_a_new_version()
    {
        using var factory = new ExplainApiFactory();
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);
        var first = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.Content.ReadAsStringAsync();

        // Not loaded yet or loaded: either way the registry finds the version with the same content.
        var again = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()));
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.Equal("/v1/models/users-net/versions/1", again.Headers.Location?.OriginalString);
        Assert.Equal(created, await again.Content.ReadAsStringAsync());

        await SaliencyFixture.WaitUntilReadyAsync(factory.CreateClient(ExplainApiFactory.InferKey), "users-net", 1);
        var loaded = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()));
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal(created, await loaded.Content.ReadAsStringAsync());

        var renamed = Spec().Replace("\"other\"", "\"artefact\"", StringComparison.Ordinal);
        var second = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), renamed));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("/v1/models/users-net/versions/2", second.Headers.Location?.OriginalString);
        Assert.Equal([2, 1], factory.Services.GetRequiredService<ExplainApi.Core.Models.IModelRegistry>().List().Select(m => m.Version));
    }

    [Theory]
    [InlineData("missing.tensor", 8, "no tensor named 'missing.tensor'")]
    [InlineData("logits", 8, "2-D")]
    [InlineData(TinyConvNet.ImportedTensor, 16, "the spec says float32 [N, 1, 16, 8]")]
    public async Task A_model_that_does_not_fit_its_spec_is_422_saying_why(string targetTensor, int height, string why)
    {
        using var factory = new ExplainApiFactory();
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);

        var response = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec(targetTensor: targetTensor, height: height)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:model-import-invalid");
        Assert.Contains(why, problem.GetProperty("detail").GetString());
        Assert.Empty(factory.Services.GetRequiredService<ExplainApi.Core.Models.IModelRegistry>().List());
    }

    [Fact]
    public async Task Bytes_that_are_not_ONNX_a_bad_spec_and_a_missing_file_are_refused()
    {
        using var factory = new ExplainApiFactory();
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);

        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form([1, 2, 3, 4], Spec())),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:model-import-invalid");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), "{\"name\": \"x\"")),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec(name: "../escape"))),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", new MultipartFormDataContent { { new StringContent(Spec()), "spec" } }),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", new ByteArrayContent(TinyConvNet.Imported())),
            HttpStatusCode.UnsupportedMediaType, "urn:explainapi:problem:unsupported-media-type");
    }

    [Fact]
    public async Task Import_needs_the_admin_scope_and_stays_under_its_size_limit()
    {
        using var factory = new SmallImportLimitFactory();

        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        await ProblemAssert.IsProblemAsync(await infer.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec())), HttpStatusCode.Forbidden);
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);
        var large = TinyConvNet.Imported().Concat(new byte[4096]).ToArray();
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form(large, Spec())),
            HttpStatusCode.RequestEntityTooLarge, "urn:explainapi:problem:model-import-too-large");
    }

    private sealed class SmallImportLimitFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ExplainApi:Models:MaxImportBytes"] = "2048" };
    }
}
