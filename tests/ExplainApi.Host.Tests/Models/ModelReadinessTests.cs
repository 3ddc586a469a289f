using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Models;

/// <summary>
/// Service readiness is the store, disk and runtimes; each model version has its own state, shown (never hidden)
/// even when its manifest cannot be read, and no answer names a server path.
/// </summary>
public sealed class ModelReadinessTests
{
    [Fact]
    public async Task A_failed_model_version_leaves_service_readiness_200_and_its_own_readiness_503_without_paths()
    {
        using var factory = new ExplainApiFactory();
        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        var anonymous = factory.CreateClient(apiKey: null);
        await ModelApiTests.RegisterAsync(factory, "broken", "not an onnx model"u8.ToArray());

        var notReady = await ModelApiTests.WaitForProblemAsync(infer, "/v2/models/broken/ready", p => p.GetProperty("state").GetString() == "failed");

        Assert.Equal(ModelProblemTypes.ModelNotReady, notReady.GetProperty("type").GetString());
        Assert.Contains("ONNX Runtime could not load the model (model.onnx)", notReady.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listed = await infer.GetStringAsync("/v1/models");
        foreach (var body in new[] { notReady.ToString(), listed })
        {
            Assert.DoesNotContain(factory.DataDirectory, body, StringComparison.Ordinal);
        }

        foreach (var path in new[] { "/healthz/ready", "/v2/health/ready" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("broken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        AssertModelLogsNameNoPath(factory, "broken");
    }

    [Fact]
    public async Task A_corrupt_manifest_is_listed_as_failed_manifest_unreadable_and_answers_503_on_its_routes()
    {
        using var factory = new ExplainApiFactory();
        var registry = new FileModelRegistry(Path.Combine(factory.DataDirectory, "models"));
        await registry.RegisterAsync("damaged", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);
        File.WriteAllText(Path.Combine(registry.VersionDirectory("damaged", 1), ModelManifest.FileName), "{ \"name\": ");
        Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "models", "Not A Name", "1"));
        var infer = factory.CreateClient(ExplainApiFactory.InferKey);

        var entry = Assert.Single((await infer.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("models").EnumerateArray());
        Assert.Equal(("damaged", 1, "failed", "manifest unreadable"),
            (entry.GetProperty("name").GetString(), entry.GetProperty("version").GetInt32(), entry.GetProperty("state").GetString(), entry.GetProperty("failureReason").GetString()));
        var model = await infer.GetFromJsonAsync<JsonElement>("/v1/models/damaged");
        Assert.Equal(1, model.GetProperty("latestVersion").GetInt32());
        Assert.Equal("failed", (await infer.GetFromJsonAsync<JsonElement>("/v1/models/damaged/versions/1")).GetProperty("state").GetString());

        foreach (var (method, path) in new[] { ("GET", "/v2/models/damaged/ready"), ("GET", "/v2/models/damaged"), ("POST", "/v1/models/damaged/saliency") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Content = method == "POST" ? TestImages.PngContent(TestImages.Gradient8(4, 4)) : null;
            var problem = await ProblemAssert.IsProblemAsync(await infer.SendAsync(request), HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady);
            Assert.Equal("failed", problem.GetProperty("state").GetString());
            Assert.Contains("manifest unreadable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var evaluation = await factory.CreateClient(ExplainApiFactory.TrainKey).PostAsJsonAsync("/v1/models/damaged/evaluate", new { });
        Assert.Contains("manifest unreadable", (await ProblemAssert.IsProblemAsync(evaluation, HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady))
            .GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient(apiKey: null).GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await factory.CreateClient(ExplainApiFactory.AdminKey).DeleteAsync("/v1/models/damaged")).StatusCode);
        Assert.Empty((await infer.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("models").EnumerateArray());
        AssertModelLogsNameNoPath(factory, "damaged");
    }

    [Fact]
    public async Task A_loaded_version_is_not_served_once_a_newer_damaged_version_or_its_removal_says_otherwise()
    {
        using var factory = new ExplainApiFactory();
        var registry = new FileModelRegistry(Path.Combine(factory.DataDirectory, "models"));
        await registry.RegisterAsync("moving", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);
        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        await ModelApiTests.WaitUntilReadyAsync(infer, "moving", 1);
        // The KServe inference route: it resolves the version as every model route does, and this graph has no CAM layer.
        Task<HttpResponseMessage> Infer(string path) => infer.PostAsJsonAsync(path,
            new { inputs = new[] { new { name = "input", shape = new[] { 1, 1, 2, 2 }, datatype = "FP32", data = new[] { 0.1f, 0.2f, 0.3f, 0.4f } } } });
        Assert.Equal(HttpStatusCode.OK, (await Infer("/v2/models/moving/infer")).StatusCode);

        // A newer version folder whose manifest cannot be read: a request without a version means it, not the loaded one.
        Directory.CreateDirectory(registry.VersionDirectory("moving", 2));
        File.WriteAllText(Path.Combine(registry.VersionDirectory("moving", 2), ModelManifest.FileName), "{ \"name\": ");
        await ProblemAssert.IsProblemAsync(await Infer("/v2/models/moving/infer"), HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady);
        Assert.Equal(HttpStatusCode.OK, (await Infer("/v2/models/moving/versions/1/infer")).StatusCode);

        // Version 1's folder removed behind the service's back: still loaded, no longer served.
        Directory.Delete(registry.VersionDirectory("moving", 1), recursive: true);
        await ProblemAssert.IsProblemAsync(await Infer("/v2/models/moving/versions/1/infer"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task While_a_model_loads_service_readiness_stays_200_and_names_no_model()
    {
        using var factory = new ExplainApiFactory();
        var registry = new FileModelRegistry(Path.Combine(factory.DataDirectory, "models"));
        await registry.RegisterAsync("slow", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);

        // A FIFO in place of weights.bin holds the load in its hash check until the test writes the same bytes.
        var weights = Path.Combine(registry.VersionDirectory("slow", 1), ModelManifest.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.Delete(weights);
        using (var mkfifo = Process.Start("mkfifo", weights))
        {
            await mkfifo.WaitForExitAsync();
        }

        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        try
        {
            var loading = await ProblemAssert.IsProblemAsync(await infer.GetAsync("/v2/models/slow/ready"), HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady);
            Assert.Equal("loading", loading.GetProperty("state").GetString());
            foreach (var path in new[] { "/healthz/ready", "/v2/health/ready" })
            {
                var response = await factory.CreateClient(apiKey: null).GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain("slow", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            await File.WriteAllBytesAsync(weights, bytes); // opens once the loader's reader is waiting
        }

        await ModelApiTests.WaitUntilReadyAsync(infer, "slow", 1);
    }

    /// <summary>Every log line about the model names it by name and version, never by its folder.</summary>
    private static void AssertModelLogsNameNoPath(ExplainApiFactory factory, string name)
    {
        List<string> Lines() => [.. factory.LogEvents.Select(e => e.RenderMessage(null)).Where(m => m.Contains(name, StringComparison.Ordinal))];

        // The loader logs just after it publishes the state the test waited for.
        Assert.True(SpinWait.SpinUntil(() => Lines().Any(m => m.Contains("failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
        var lines = Lines();
        Assert.DoesNotContain(lines, m => m.Contains(factory.DataDirectory, StringComparison.Ordinal));
    }
}
