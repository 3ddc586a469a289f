using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>The segmentation job kind through POST /v1/jobs: its refusals before anything is queued, and a tiny run that /segment then serves.</summary>
public sealed class SegmentationJobTests(JobsFactory factory) : IClassFixture<JobsFactory>
{
    private const string Lesions = "synthetic:lesions?n=40&size=48&background=noise";

    private readonly HttpClient _client = factory.CreateClient(ExplainApiFactory.TrainKey);

    [Fact]
    public async Task A_job_on_the_lesions_set_registers_a_segmentation_model_that_segment_serves()
    {
        var job = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "segmentation", dataset = Lesions, model = "lesion-segmenter", options = new { epochs = 1, batchSize = 8, width = 4, depth = 2 },
        });
        var done = await JobsFactory.WaitForAsync(_client, job.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());

        using var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        var version = await infer.GetFromJsonAsync<JsonElement>("/v1/models/lesion-segmenter/versions/1");
        Assert.Contains("\"task\":\"segmentation\"", version.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await SaliencyFixture.WaitUntilReadyAsync(infer, "lesion-segmenter", 1);
        var noise = PngEncoder.Encode([.. Enumerable.Range(0, 48 * 48).Select(i => (byte)(i * 37 % 251))], 48, 48, PngPixelFormat.Grey8);
        using var content = TestImages.PngContent(noise);
        var response = await infer.PostAsync("/v1/models/lesion-segmenter/segment", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["background", "blob", "thin", "tiny"], answer.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
        var manifest = answer.GetProperty("manifest");
        Assert.Equal("ground-truth", manifest.GetProperty("segmentation").GetProperty("masks").GetString());
        Assert.True(manifest.GetProperty("metrics").TryGetProperty("validationMeanIoU", out _));
    }

    [Fact]
    public async Task A_dataset_without_masks_is_422_dataset_unsuitable_and_another_mask_source_is_400()
    {
        var squares = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "segmentation", dataset = "synthetic:squares?n=20&size=16", model = "no-masks" });
        var problem = await ProblemAssert.IsProblemAsync(squares, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:dataset-unsuitable");
        Assert.Contains("per-pixel class masks", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var crf = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "segmentation", dataset = Lesions, model = "crf", options = new { masks = "crf" } });
        var invalid = await ProblemAssert.IsProblemAsync(crf, HttpStatusCode.BadRequest);
        Assert.Contains("ground-truth", invalid.GetRawText(), StringComparison.Ordinal);
    }
}
