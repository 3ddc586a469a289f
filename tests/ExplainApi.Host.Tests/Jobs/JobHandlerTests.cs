using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Tests.DifferenceMaps;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>POST /v1/jobs dispatches through the job handlers: every kind is known by one registry, and a trainer's bad link is 422 before anything is queued.</summary>
public sealed class JobHandlerTests(DifferenceMapFactory factory) : IClassFixture<DifferenceMapFactory>
{
    private const string Squares = "synthetic:squares?n=20&size=16";
    private readonly HttpClient _client = factory.CreateClient(ExplainApiFactory.TrainKey);

    private async Task<int> JobCountAsync() => (await _client.GetFromJsonAsync<JsonElement>("/v1/jobs")).GetProperty("total").GetInt32();

    [Fact]
    public async Task An_unknown_kind_is_400_listing_every_registered_kind_and_the_kinds_route_lists_them_too()
    {
        var response = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "nope", dataset = Squares, model = "m" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("kind")[0].GetString()!;
        var kinds = factory.Services.GetRequiredService<JobHandlers>().Kinds;
        Assert.Superset(new HashSet<string> { "classifier", "logistic-regression", "evaluate", "difference-summary", "linking" }, kinds.ToHashSet());
        Assert.All(kinds, k => Assert.Contains(k, message, StringComparison.Ordinal));
        var listed = await _client.GetFromJsonAsync<JsonElement>("/v1/jobs/kinds");
        Assert.Equal(kinds, listed.EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
        Assert.Equal("test", listed.EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "evaluate").GetProperty("defaults").GetProperty("split").GetString());
    }

    [Fact]
    public async Task Evaluate_through_the_generic_route_answers_404_for_a_missing_model()
    {
        var response = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "evaluate", model = "no-such-model", options = new { images = 2 } });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "urn:explainapi:problem:model-not-found");
    }

    [Theory]
    [InlineData(null, "no classifier is named")]
    [InlineData("absent", "'absent' is not registered")]
    [InlineData("tiny-2x2", "takes 1×2×2 images; these are 1×16×16")]
    [InlineData("other-classes", "lacks normal, abnormal")]
    [InlineData("dm-tiny", "is a difference-map model, not a classifier")]
    public async Task A_trainer_whose_linked_classifier_is_unusable_is_422_and_nothing_is_queued(string? classifier, string reason)
    {
        await factory.RegisterAsync();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        if (registry.Find("tiny-2x2") is null)
        {
            await registry.RegisterAsync("tiny-2x2", TinyClassifier.Write(factory.DataDirectory), null, null, CancellationToken.None);
            var wrongClasses = TinyClassifier.Write(factory.DataDirectory) with { Input = TinyDifferenceMapModels.Input() };
            await registry.RegisterAsync("other-classes", wrongClasses, null, null, CancellationToken.None);
        }

        var before = await JobCountAsync();
        var response = await _client.PostAsJsonAsync("/v1/jobs", new { kind = "linking", dataset = Squares, model = "linked", options = new { classifier } });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.LinkedModelUnusable);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task A_class_pair_the_dataset_lacks_is_422_dataset_unsuitable_before_the_link_is_checked()
    {
        await factory.RegisterAsync();
        var before = await JobCountAsync();

        var response = await _client.PostAsJsonAsync("/v1/jobs",
            new { kind = "linking", dataset = Squares, model = "linked", options = new { classifier = "absent", fromClass = "tumour" } });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:dataset-unsuitable");
        Assert.Contains("'tumour'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task A_usable_link_is_queued()
    {
        await factory.RegisterAsync();
        var validated = factory.Services.GetRequiredService<JobRequestValidator>()
            .Validate(new JobRequest("linking", Squares, "linked", new System.Text.Json.Nodes.JsonObject { ["classifier"] = "dm-judge" }));

        Assert.NotNull(validated.Job);
        Assert.Null(validated.LinkProblem);
    }
}
