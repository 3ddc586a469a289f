using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;

namespace ExplainApi.Host.Tests.Evaluation;

/// <summary>
/// The evaluate job on a segmentation model: a tiny segmenter trained by a job of the same service (as in
/// SegmentationJobTests) scored on the lesions' test split, and the requests it refuses before anything is queued.
/// </summary>
public sealed class SegmentationEvaluationTests(JobsFactory factory) : IClassFixture<JobsFactory>
{
    private const string Lesions = "synthetic:lesions?n=40&size=48&background=noise";
    private const string Model = "seg-eval";

    private readonly HttpClient _client = factory.CreateClient(ExplainApiFactory.TrainKey);

    private async Task TrainOnceAsync()
    {
        if ((await _client.GetAsync($"/v1/models/{Model}/versions/1")).StatusCode == HttpStatusCode.OK)
        {
            return;
        }

        var job = await JobsFactory.SubmitAsync(_client, new
        {
            kind = "segmentation", dataset = Lesions, model = Model, options = new { epochs = 1, batchSize = 8, width = 4, depth = 2 },
        });
        var done = await JobsFactory.WaitForAsync(_client, job.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
    }

    [Fact]
    public async Task An_evaluation_of_a_segmenter_scores_every_class_on_the_test_split_and_its_miou_is_that_of_its_confusion_matrix()
    {
        await TrainOnceAsync();

        var response = await _client.PostAsJsonAsync($"/v1/models/{Model}/evaluate", new { images = 6 });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var job = await JobsFactory.WaitForAsync(_client, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());

        var table = await _client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/evaluation");
        Assert.Equal("segmentation", table.GetProperty("task").GetString());
        Assert.Equal(6, table.GetProperty("images").GetInt32());
        Assert.Equal(6L * 48 * 48, table.GetProperty("pixels").GetInt64());
        var classes = table.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["background", "blob", "thin", "tiny"], classes.Select(c => c.GetProperty("class").GetString()));
        var meanIoU = table.GetProperty("meanIoU").GetDouble();
        Assert.InRange(meanIoU, 0, 1);
        Assert.True(table.GetProperty("secondsPerImage").GetDouble() > 0);

        // mIoU (PASCAL VOC, background included) recomputed from the confusion matrix: IoU_k = C_kk / (row_k + col_k − C_kk) over classes present.
        var confusion = table.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(6L * 48 * 48, confusion.Sum(r => r.Sum()));
        var ious = Enumerable.Range(0, 4)
            .Select(k => (tp: confusion[k][k], union: confusion[k].Sum() + confusion.Sum(r => r[k]) - confusion[k][k]))
            .Where(c => c.union > 0).Select(c => (double)c.tp / c.union).ToList();
        Assert.Equal(ious.Average(), meanIoU, 12);
        var pixelAccuracy = Enumerable.Range(0, 4).Sum(k => confusion[k][k]) / (6.0 * 48 * 48);
        Assert.Equal(pixelAccuracy, table.GetProperty("pixelAccuracy").GetDouble(), 12);

        var markdown = await _client.GetStringAsync($"/v1/jobs/{id}/evaluation?format=markdown");
        foreach (var name in new[] { "background", "blob", "thin", "tiny" })
        {
            Assert.Contains($"| {name} |", markdown, StringComparison.Ordinal);
        }

        Assert.Contains("mIoU", markdown, StringComparison.Ordinal);
        Assert.Contains("test split", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dataset_without_segmentations_is_422_and_saliency_fields_are_400()
    {
        await TrainOnceAsync();

        var squares = await _client.PostAsJsonAsync($"/v1/models/{Model}/evaluate", new { dataset = "synthetic:squares?n=20&size=48" });
        var problem = await ProblemAssert.IsProblemAsync(squares, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:dataset-unsuitable");
        Assert.Contains("per-pixel class masks", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var methods = await _client.PostAsJsonAsync($"/v1/models/{Model}/evaluate", new { methods = new[] { "gradcam" }, expensiveImages = 1 });
        var invalid = await ProblemAssert.IsProblemAsync(methods, HttpStatusCode.BadRequest);
        var errors = invalid.GetProperty("errors");
        Assert.True(errors.TryGetProperty("methods", out _), invalid.ToString());
        Assert.True(errors.TryGetProperty("expensiveImages", out _), invalid.ToString());
    }
}
