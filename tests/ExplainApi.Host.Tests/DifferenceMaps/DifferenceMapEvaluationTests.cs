using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>
/// The evaluate job on a difference-map model: its maps scored against the squares' masks (the same numbers Core's
/// evaluator gives for the generator's formula) beside the linked classifier's saliency methods on the same images.
/// </summary>
public sealed class DifferenceMapEvaluationTests(DifferenceMapFactory factory) : IClassFixture<DifferenceMapFactory>
{
    private readonly HttpClient _client = factory.CreateClient(ExplainApiFactory.TrainKey);

    [Fact]
    public async Task Evaluating_a_difference_map_model_scores_its_maps_and_its_classifiers_saliency_on_the_same_images()
    {
        await factory.RegisterAsync();
        var response = await _client.PostAsJsonAsync("/v1/models/dm-tiny/evaluate", new { methods = new[] { "occlusion", "gradcam" }, images = 3, expensiveImages = 2 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var job = await JobsFactory.WaitForAsync(_client, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed");
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());

        var table = await _client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/evaluation");
        Assert.Equal("difference-map", table.GetProperty("task").GetString());
        var row = Assert.Single(table.GetProperty("directions").EnumerateArray());
        Assert.Equal(3, row.GetProperty("images").GetInt32());
        var dataset = new SquaresDataset(40, 16, 3);
        var images = DatasetSplits.Standard(dataset, 1).Test.Where(i => dataset.LabelOf(i) == 1).Take(3).ToArray();
        var expected = DifferenceMapEvaluator.Evaluate(new FormulaTranslator(), null, dataset, images, i => dataset.SubtypeOf(i).ToString());
        Assert.Equal(expected.NccSigned.Mean, row.GetProperty("nccSigned").GetProperty("mean").GetDouble(), 1e-4);
        Assert.Equal(expected.NccAbsolute.Mean, row.GetProperty("nccAbsolute").GetProperty("mean").GetDouble(), 1e-4);
        Assert.Equal(expected.EnergyInside.Mean, row.GetProperty("energyInside").GetProperty("mean").GetDouble(), 1e-4);
        Assert.Equal(expected.Subtypes.Select(s => s.Subtype), row.GetProperty("subtypes").EnumerateArray().Select(s => s.GetProperty("subtype").GetString()));
        var flips = images.Count(i => TinyDifferenceMapModels.Classify(Array.ConvertAll(dataset.Get(i).Pixels, TinyDifferenceMapModels.Translate)) == 0);
        Assert.Equal(flips / 3.0, row.GetProperty("flipRate").GetDouble(), 12);

        var saliency = table.GetProperty("saliency");
        Assert.Equal("dm-judge", saliency.GetProperty("model").GetString());
        Assert.Equal(3, saliency.GetProperty("candidateImages").GetInt32());
        var methods = saliency.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(2, methods[0].GetProperty("images").GetInt32()); // occlusion is expensive
        Assert.False(methods[1].GetProperty("unsupported").ValueKind == JsonValueKind.Null); // a linear classifier without a target layer

        var markdown = await _client.GetStringAsync($"/v1/jobs/{id}/evaluation?format=markdown");
        Assert.Contains("| b2a (abnormal → normal) | 3 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| occlusion | 2 |", markdown, StringComparison.Ordinal);
    }
}
