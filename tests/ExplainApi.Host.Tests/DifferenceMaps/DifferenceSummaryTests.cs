using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;
using ExplainApi.Core.Models;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>
/// A difference-summary job end to end on the tiny generator tanh((1 + A)·x + B) and its mean-intensity classifier, served
/// through ONNX Runtime: every number is recomputed here from the formulas, so the job must report exactly these.
/// </summary>
public sealed class DifferenceSummaryTests(DifferenceMapFactory factory) : IClassFixture<DifferenceMapFactory>
{
    private readonly HttpClient _client = factory.CreateClient(ExplainApiFactory.TrainKey);

    private async Task<string> SucceededAsync(object options)
    {
        await factory.RegisterAsync();
        var job = await JobsFactory.SubmitAsync(_client, new { kind = "difference-summary", model = "dm-tiny", options });
        var id = job.GetProperty("id").GetString()!;
        var done = await JobsFactory.WaitForAsync(_client, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        Assert.Equal("/v1/models/dm-tiny/versions/1", done.GetProperty("links").GetProperty("model").GetString());
        return id;
    }

    [Fact]
    public async Task The_summary_has_the_mean_and_std_of_the_maps_and_the_confusion_matrices_before_and_after_translation()
    {
        var id = await SucceededAsync(new { split = "test" });

        var dataset = new SquaresDataset(40, 16, 3);
        var images = DatasetSplits.Standard(dataset, 1).Test.Where(i => dataset.LabelOf(i) == 1).Select(dataset.Get).ToList();
        var maps = images.Select(s => s.Pixels.Select(x => TinyDifferenceMapModels.Translate(x) - x).ToArray()).ToList();
        var summary = await _client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/difference-summary");
        Assert.Equal(images.Count, summary.GetProperty("images").GetInt32());
        Assert.Equal("b2a", summary.GetProperty("direction").GetProperty("name").GetString());
        Assert.Equal("dm-judge", summary.GetProperty("classifier").GetProperty("name").GetString());
        int[][] before = [[0, 0], [images.Count(s => TinyDifferenceMapModels.Classify(s.Pixels) == 0), images.Count(s => TinyDifferenceMapModels.Classify(s.Pixels) == 1)]];
        var translatedAbnormal = images.Count(s => TinyDifferenceMapModels.Classify(Array.ConvertAll(s.Pixels, TinyDifferenceMapModels.Translate)) == 1);
        int[][] after = [[images.Count - translatedAbnormal, translatedAbnormal], [0, 0]];
        Assert.Equal(before, Counts(summary.GetProperty("confusionBefore")));
        Assert.Equal(after, Counts(summary.GetProperty("confusionAfter")));
        Assert.Equal((double)(images.Count - translatedAbnormal) / images.Count, summary.GetProperty("flipRate").GetDouble(), 12);

        var mean = await DecodeNiftiAsync($"/v1/jobs/{id}/difference-summary/mean.nii");
        var std = await DecodeNiftiAsync($"/v1/jobs/{id}/difference-summary/std.nii");
        for (var p = 0; p < 16 * 16; p++)
        {
            var values = maps.Select(m => (double)m[p]).ToList();
            var m = values.Average();
            Assert.Equal(m, mean[p], 1e-5);
            Assert.Equal(Math.Sqrt(values.Average(v => (v - m) * (v - m))), std[p], 1e-5);
        }

        var png = await _client.GetAsync($"/v1/jobs/{id}/difference-summary/mean.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync())[..4]);
        var markdown = await _client.GetStringAsync($"/v1/jobs/{id}/difference-summary/summary.md");
        Assert.Contains($"| abnormal | {before[1][0]} | {before[1][1]} | 0 | 0 |", markdown, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await _client.GetAsync($"/v1/jobs/{id}/difference-summary/secrets.txt"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _client.GetAsync($"/v1/jobs/{id}/evaluation"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_classifier_as_model_an_unknown_direction_or_a_missing_model_is_refused_and_nothing_is_queued()
    {
        await factory.RegisterAsync();
        var classifier = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-judge" });
        var problem = await ProblemAssert.IsProblemAsync(classifier, HttpStatusCode.BadRequest);
        Assert.Contains("classification model", problem.GetProperty("errors").GetProperty("model")[0].GetString(), StringComparison.Ordinal);

        var direction = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-tiny", options = new { direction = "a2b" } });
        problem = await ProblemAssert.IsProblemAsync(direction, HttpStatusCode.BadRequest);
        Assert.Contains("b2a", problem.GetProperty("errors").GetProperty("options.direction")[0].GetString(), StringComparison.Ordinal);

        var wrongSize = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-tiny", dataset = "synthetic:squares?n=20&size=32" });
        await ProblemAssert.IsProblemAsync(wrongSize, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:dataset-unsuitable");

        var missing = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-none" });
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "urn:explainapi:problem:model-not-found");
        var jobs = await _client.GetFromJsonAsync<JsonElement>("/v1/jobs");
        Assert.DoesNotContain(jobs.GetProperty("items").EnumerateArray(), j => j.GetProperty("model").GetString() is "dm-judge" or "dm-none");
    }

    [Fact]
    public async Task A_classifier_named_in_the_options_judges_the_translations_instead_of_the_linked_one()
    {
        var dataset = new SquaresDataset(40, 16, 3);
        var translated = DatasetSplits.Standard(dataset, 1).Test.Where(i => dataset.LabelOf(i) == 1)
            .Select(i => Array.ConvertAll(dataset.Get(i).Pixels, TinyDifferenceMapModels.Translate)).ToList();
        // A mean threshold between the two middle translated images, so this judge calls half of them normal.
        var means = translated.Select(t => t.Average()).Order().ToList();
        var strict = (means[(means.Count / 2) - 1] + means[means.Count / 2]) / 2;
        await factory.RegisterAsync();
        await TinyDifferenceMapModels.RegisterClassifierAsync(factory.Services.GetRequiredService<IModelRegistry>(), factory.DataDirectory, "dm-strict",
            threshold: strict);
        var id = await SucceededAsync(new { classifier = "dm-strict" });

        var normalByStrict = translated.Count(t => TinyDifferenceMapModels.Classify(t, strict) == 0);
        Assert.NotEqual(translated.Count(t => TinyDifferenceMapModels.Classify(t) == 0), normalByStrict);
        var summary = await _client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/difference-summary");
        var classifier = summary.GetProperty("classifier");
        Assert.Equal(("dm-strict", 1, "options"), (classifier.GetProperty("name").GetString(), classifier.GetProperty("version").GetInt32(),
            classifier.GetProperty("source").GetString()));
        Assert.Equal((double)normalByStrict / translated.Count, summary.GetProperty("flipRate").GetDouble(), 12);
        Assert.Contains("`dm-strict` version 1 (named for this summary", await _client.GetStringAsync($"/v1/jobs/{id}/difference-summary/summary.md"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_classifier_that_is_missing_or_not_a_classifier_is_refused_and_nothing_is_queued()
    {
        await factory.RegisterAsync();
        var before = (await _client.GetFromJsonAsync<JsonElement>("/v1/jobs")).GetProperty("items").GetArrayLength();
        var missing = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-tiny", options = new { classifier = "dm-none" } });
        var problem = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:linked-model-unusable");
        Assert.Contains("'dm-none' is not registered", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var generator = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-tiny", options = new { classifier = "dm-tiny" } });
        problem = await ProblemAssert.IsProblemAsync(generator, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:linked-model-unusable");
        Assert.Contains("not a classifier", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var versionAlone = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "difference-summary", model = "dm-tiny", options = new { classifierVersion = 1 } });
        problem = await ProblemAssert.IsProblemAsync(versionAlone, HttpStatusCode.BadRequest);
        Assert.Contains("Only with option classifier", problem.GetProperty("errors").GetProperty("options.classifierVersion")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await _client.GetFromJsonAsync<JsonElement>("/v1/jobs")).GetProperty("items").GetArrayLength());
    }

    private static int[][] Counts(JsonElement matrix) =>
        [.. matrix.GetProperty("counts").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray())];

    private async Task<float[]> DecodeNiftiAsync(string path)
    {
        var bytes = await _client.GetByteArrayAsync(path);
        return new NiftiDecoder().Decode(bytes, DecodeOptions.Default, ImageLimits.Default).Data;
    }
}
