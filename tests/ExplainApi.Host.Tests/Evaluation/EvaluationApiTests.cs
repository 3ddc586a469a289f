using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Training;
using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Evaluation;

/// <summary>
/// POST /v1/models/{name}/evaluate and GET /v1/jobs/{id}/evaluation on a real (tiny) classifier trained by a job of the
/// same service; the evaluation scores its served ONNX model (ONNX Runtime, the exported backward graph).
/// </summary>
public sealed class EvaluationApiTests : IClassFixture<JobsFactory>
{
    private const string Dataset = "synthetic:squares?n=40&size=16&seed=3";
    private readonly JobsFactory _factory;
    private readonly HttpClient _client;

    public EvaluationApiTests(JobsFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient(ExplainApiFactory.TrainKey);
    }

    private async Task<string> TrainAsync(string model)
    {
        var job = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "classifier", dataset = Dataset, model,
            options = new { epochs = 1, batchSize = 8, width = 8, depth = 1, stemStride = 2, testFraction = 0.2 },
        });
        var id = job.GetProperty("id").GetString()!;
        var done = await JobsFactory.WaitForAsync(_client, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        return id;
    }

    private Task<HttpResponseMessage> EvaluateAsync(string model, object body) => _client.PostAsJsonAsync($"/v1/models/{model}/evaluate", body);

    [Fact]
    public async Task An_evaluation_job_scores_each_method_on_the_test_split_and_serves_its_table_as_json_and_markdown()
    {
        var training = await TrainAsync("eval-tiny");

        var response = await EvaluateAsync("eval-tiny", new { methods = new[] { "gradcam", "cam", "rise" }, images = 3, expensiveImages = 1 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/v1/jobs/{id}", response.Headers.Location?.OriginalString);
        var job = await JobsFactory.WaitForAsync(_client, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        Assert.Equal("evaluate", job.GetProperty("kind").GetString());
        Assert.Equal("/v1/models/eval-tiny/versions/1", job.GetProperty("links").GetProperty("model").GetString());

        var table = await _client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/evaluation");
        Assert.Equal(Dataset, table.GetProperty("dataset").GetString());
        Assert.Equal(4, table.GetProperty("candidateImages").GetInt32()); // 8 test images (20 % of 40), half of them abnormal
        var methods = table.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["gradcam", "cam", "rise"], methods.Select(m => m.GetProperty("method").GetString()));
        Assert.Equal([3, 3, 1], methods.Select(m => m.GetProperty("images").GetInt32()));
        var energy = methods[0].GetProperty("energyPointingGame");
        Assert.Equal(3, energy.GetProperty("count").GetInt32());
        Assert.InRange(energy.GetProperty("mean").GetDouble(), 0, 1);

        var markdown = await _client.GetAsync($"/v1/jobs/{id}/evaluation?format=markdown");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var text = await markdown.Content.ReadAsStringAsync();
        Assert.Contains("| gradcam | 3 |", text, StringComparison.Ordinal);
        Assert.Contains("test split", text, StringComparison.Ordinal);

        // A training job has no table.
        await ProblemAssert.IsProblemAsync(await _client.GetAsync($"/v1/jobs/{training}/evaluation"), HttpStatusCode.NotFound, "urn:explainapi:problem:job-not-found");
    }

    [Fact]
    public async Task A_rerun_after_an_interrupted_attempt_replaces_its_output_folder()
    {
        await TrainAsync("eval-rerun");
        var output = Directory.CreateTempSubdirectory("explainapi-eval-rerun-").FullName;
        await File.WriteAllTextAsync(Path.Combine(output, EvaluationJob.JsonFile), "{\"half a tab");
        await File.WriteAllTextAsync(Path.Combine(output, EvaluationJob.MarkdownFile + ".tmp"), "| half");
        await File.WriteAllTextAsync(Path.Combine(output, "left-over.txt"), "from the first attempt");
        var job = _factory.Services.GetRequiredService<EvaluationJob>();

        var table = await job.RunAsync("eval-rerun", Dataset, new EvaluationSettings(1, "test", 1, ["gradcam", "cam"], 2, 1, 0), output,
            new Progress<TrainingProgress>(), CancellationToken.None);

        Assert.Equal([EvaluationJob.JsonFile, EvaluationJob.MarkdownFile], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, EvaluationJob.JsonFile))).RootElement;
        Assert.Equal("eval-rerun", json.GetProperty("model").GetString());
        Assert.Equal(2, json.GetProperty("methods").GetArrayLength());
        Assert.Contains("| gradcam | 2 |", await File.ReadAllTextAsync(Path.Combine(output, EvaluationJob.MarkdownFile)), StringComparison.Ordinal);
        Assert.Equal(2, table.Methods[0].Images);
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public async Task An_unknown_model_is_404_and_a_bad_method_or_image_count_is_400_naming_the_field()
    {
        await ProblemAssert.IsProblemAsync(await EvaluateAsync("no-such-model", new { }), HttpStatusCode.NotFound, "urn:explainapi:problem:model-not-found");

        await TrainAsync("eval-invalid");
        var bad = await EvaluateAsync("eval-invalid", new { methods = new[] { "gradcam", "guesswork" }, images = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("guesswork", errors.GetProperty("methods")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("images", out _));
    }

    [Fact]
    public async Task A_classifier_job_on_the_lesions_set_registers_a_sigmoid_model_whose_evaluation_is_refused_as_multi_label()
    {
        var job = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "classifier", dataset = "synthetic:lesions?n=40&size=48&background=noise", model = "eval-lesions",
            options = new { epochs = 1, batchSize = 8, width = 8, depth = 1, stemStride = 2 },
        });
        var done = await JobsFactory.WaitForAsync(_client, job.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        var manifest = await _factory.CreateClient(ExplainApiFactory.InferKey).GetFromJsonAsync<JsonElement>("/v1/models/eval-lesions/versions/1");
        Assert.Contains("\"outputActivation\":\"sigmoid\"", manifest.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var response = await EvaluateAsync("eval-lesions", new { });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, body);
        Assert.Contains("is multi-label; the evaluation explains one true class per image", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_needs_the_train_scope()
    {
        var infer = _factory.CreateClient(ExplainApiFactory.InferKey);
        var response = await infer.PostAsJsonAsync("/v1/models/any/evaluate", new { });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
