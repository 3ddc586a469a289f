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
        Assert.False(manifest.GetProperty("segmentation").TryGetProperty("classifier", out _));
        Assert.True(manifest.GetProperty("metrics").TryGetProperty("validationMeanIoU", out _));
    }

    [Fact]
    public async Task A_dataset_without_masks_is_422_dataset_unsuitable_and_a_pseudo_mask_source_without_a_classifier_is_400()
    {
        var squares = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "segmentation", dataset = "synthetic:squares?n=20&size=16", model = "no-masks" });
        var problem = await ProblemAssert.IsProblemAsync(squares, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:dataset-unsuitable");
        Assert.Contains("per-pixel class masks", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var crf = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "segmentation", dataset = Lesions, model = "crf", options = new { masks = "crf" } });
        var invalid = await ProblemAssert.IsProblemAsync(crf, HttpStatusCode.BadRequest);
        Assert.Contains("needs classifier", invalid.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pseudo_mask_source_linking_a_missing_or_single_label_classifier_is_422_linked_model_unusable()
    {
        var missing = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "segmentation", dataset = Lesions, model = "crf", options = new { masks = "seeds", classifier = "no-such-classifier" } });
        var problem = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:linked-model-unusable");
        Assert.Contains("not registered", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crf_job_linked_to_a_multi_label_classifier_trains_on_pseudo_masks_and_records_their_quality()
    {
        var classifier = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "classifier", dataset = Lesions, model = "pseudo-lesions-classifier",
            options = new { epochs = 1, batchSize = 8, width = 8, depth = 1, stemStride = 2 },
        });
        var trained = await JobsFactory.WaitForAsync(_client, classifier.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.Equal("succeeded", trained.GetProperty("state").GetString());

        var job = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "segmentation", dataset = Lesions, model = "pseudo-segmenter",
            options = new { masks = "crf", classifier = "pseudo-lesions-classifier", crfIterations = 2, epochs = 1, batchSize = 8, width = 4, depth = 2 },
        });
        var done = await JobsFactory.WaitForAsync(_client, job.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.GetRawText());

        using var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        var manifest = (await infer.GetFromJsonAsync<JsonElement>("/v1/models/pseudo-segmenter/versions/1")).GetProperty("manifest");
        Assert.Equal("crf", manifest.GetProperty("segmentation").GetProperty("masks").GetString());
        var link = manifest.GetProperty("segmentation").GetProperty("classifier");
        Assert.Equal(("pseudo-lesions-classifier", 1), (link.GetProperty("name").GetString(), link.GetProperty("version").GetInt32()));
        var quality = manifest.GetProperty("metrics").GetProperty("pseudoMaskMeanIoU").GetDouble();
        Assert.InRange(quality, 0, 1);
        Assert.True(manifest.GetProperty("metrics").TryGetProperty("validationMeanIoU", out _));
    }
}
