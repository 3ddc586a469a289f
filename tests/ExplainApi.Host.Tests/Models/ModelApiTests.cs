using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Models;

public sealed class ModelApiTests
{
    [Fact]
    public async Task A_registered_model_is_loaded_and_listed_with_its_state_provider_and_manifest()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        var manifest = await RegisterAsync(factory, "tiny");
        await WaitUntilReadyAsync(client, "tiny", 1);

        var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        var entry = Assert.Single(list.GetProperty("models").EnumerateArray());
        Assert.Equal("tiny", entry.GetProperty("name").GetString());
        Assert.Equal("ready", entry.GetProperty("state").GetString());
        Assert.Equal("CPUExecutionProvider", entry.GetProperty("provider").GetProperty("provider").GetString());
        Assert.Equal(manifest.Files["model.onnx"], entry.GetProperty("manifest").GetProperty("files").GetProperty("model.onnx").GetString());

        var model = await client.GetFromJsonAsync<JsonElement>("/v1/models/tiny");
        Assert.Equal(1, model.GetProperty("latestVersion").GetInt32());
        var version = await client.GetFromJsonAsync<JsonElement>("/v1/models/tiny/versions/1");
        Assert.Equal(["healthy", "lesion"], version.GetProperty("manifest").GetProperty("classification").GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task KServe_metadata_describes_inputs_and_outputs_with_minus_one_for_the_batch()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        await RegisterAsync(factory, "tiny");
        await RegisterAsync(factory, "tiny");
        await WaitUntilReadyAsync(client, "tiny", 2);

        foreach (var path in new[] { "/v2/models/tiny", "/v2/models/tiny/versions/1" })
        {
            if (path.EndsWith('1'))
            {
                await WaitUntilReadyAsync(client, "tiny", 1);
            }

            var metadata = await client.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal("tiny", metadata.GetProperty("name").GetString());
            Assert.Equal(["2", "1"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
            var input = Assert.Single(metadata.GetProperty("inputs").EnumerateArray());
            Assert.Equal(("input", "FP32"), (input.GetProperty("name").GetString(), input.GetProperty("datatype").GetString()));
            Assert.Equal([-1, 1, 2, 2], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            var output = Assert.Single(metadata.GetProperty("outputs").EnumerateArray());
            Assert.Equal(("logits", "FP32"), (output.GetProperty("name").GetString(), output.GetProperty("datatype").GetString()));
            Assert.Equal([-1, 2], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        }

        var ready = await client.GetFromJsonAsync<JsonElement>("/v2/models/tiny/ready");
        Assert.Equal(("tiny", "2", true), (ready.GetProperty("name").GetString(), ready.GetProperty("version").GetString(), ready.GetProperty("ready").GetBoolean()));
    }

    [Fact]
    public async Task A_model_file_changed_on_disk_is_refused_at_the_next_start_by_its_hash()
    {
        using var factory = new ExplainApiFactory();
        var models = Path.Combine(factory.DataDirectory, "models");
        var registry = new FileModelRegistry(models);
        await registry.RegisterAsync("tampered", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);
        await registry.RegisterAsync("intact", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);
        File.AppendAllText(Path.Combine(registry.VersionDirectory("tampered", 1), "weights.bin"), "x");
        var client = factory.CreateClient(ExplainApiFactory.InferKey);

        await WaitUntilReadyAsync(client, "intact", 1); // registered before the start: loaded at start
        var problem = await WaitForProblemAsync(client, "/v2/models/tampered/ready", p => p.GetProperty("state").GetString() == "failed");

        Assert.Contains("weights.bin: SHA-256 is", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.DataDirectory, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient(apiKey: null).GetAsync("/healthz/ready")).StatusCode);
    }

    [Fact]
    public async Task Deleting_needs_the_admin_scope_and_removes_the_version_from_every_route()
    {
        using var factory = new ExplainApiFactory();
        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);
        await RegisterAsync(factory, "tiny");
        await RegisterAsync(factory, "tiny");
        await WaitUntilReadyAsync(infer, "tiny", 2);

        var forbidden = await ProblemAssert.IsProblemAsync(await infer.DeleteAsync("/v1/models/tiny/versions/2"), HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Contains("admin", forbidden.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/models/tiny/versions/2")).StatusCode);

        await ProblemAssert.IsProblemAsync(await infer.GetAsync("/v1/models/tiny/versions/2"), HttpStatusCode.NotFound, ModelProblemTypes.ModelNotFound);
        Assert.Equal(1, (await infer.GetFromJsonAsync<JsonElement>("/v1/models/tiny")).GetProperty("latestVersion").GetInt32());
        Assert.False(factory.Services.GetRequiredService<Onnx.Serving.ModelSessionCache>().TryGet("tiny", 2, out _));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/models/tiny")).StatusCode);
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync("/v1/models/tiny"), HttpStatusCode.NotFound, ModelProblemTypes.ModelNotFound);
        Assert.Empty((await infer.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("models").EnumerateArray());
        Assert.Empty(factory.Services.GetRequiredService<Onnx.Serving.ModelSessionCache>().States);
    }

    [Theory]
    [InlineData("/v1/models/nothing", "Model 'nothing' is not registered.")]
    [InlineData("/v1/models/nothing/versions/3", "Model 'nothing' has no version 3.")]
    [InlineData("/v2/models/nothing", "Model 'nothing' is not registered.")]
    [InlineData("/v2/models/nothing/ready", "Model 'nothing' is not registered.")]
    [InlineData("/v2/models/nothing/versions/3/ready", "Model 'nothing' has no version 3.")]
    public async Task Unknown_models_and_versions_are_404_problems_naming_them(string path, string detail)
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);

        var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound, ModelProblemTypes.ModelNotFound);

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Model_routes_need_a_key_with_the_infer_scope()
    {
        using var factory = new ExplainApiFactory();

        await ProblemAssert.IsProblemAsync(await factory.CreateClient(apiKey: null).GetAsync("/v1/models"), HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        await ProblemAssert.IsProblemAsync(await factory.CreateClient(ExplainApiFactory.TrainKey).GetAsync("/v2/models/x/ready"), HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    internal static Task<ModelManifest> RegisterAsync(ExplainApiFactory factory, string name, byte[]? onnx = null) =>
        factory.Services.GetRequiredService<IModelRegistry>()
            .RegisterAsync(name, TinyClassifier.Write(factory.DataDirectory, onnx), "job_test", "synthetic:squares", CancellationToken.None);

    internal static async Task WaitUntilReadyAsync(HttpClient client, string name, int version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync($"/v2/models/{name}/versions/{version}/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(DateTime.UtcNow < deadline && !body.Contains("\"failed\"", StringComparison.Ordinal), $"{name} {version} not ready: {body}");
            await Task.Delay(50);
        }
    }

    internal static async Task<JsonElement> WaitForProblemAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.ServiceUnavailable);
            if (done(problem))
            {
                return problem;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path}: {problem}");
            await Task.Delay(50);
        }
    }
}
