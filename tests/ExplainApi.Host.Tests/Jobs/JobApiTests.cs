using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>The job API and state machine, driven step by step through the controlled trainer.</summary>
public sealed class JobApiTests : IDisposable
{
    private const string Squares = "synthetic:squares?n=20&size=16&seed=3";
    private readonly JobsFactory _factory = new();

    private HttpClient Client => _factory.CreateClient(ExplainApiFactory.TrainKey);

    private static object Controlled(int steps = 3, bool fail = false, string model = "m") =>
        new { kind = "controlled", dataset = Squares, model, options = new { steps, fail } };

    [Fact]
    public async Task A_job_runs_reports_progress_and_a_trainer_failure_fails_only_that_job()
    {
        var job = await JobsFactory.SubmitAsync(Client, Controlled(steps: 2, fail: true));
        var id = job.GetProperty("id").GetString()!;
        Assert.Equal("queued", job.GetProperty("state").GetString());

        await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "running");
        _factory.Trainer.Steps.Release();
        var running = await JobsFactory.WaitForAsync(Client, id, j => j.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object && p.GetProperty("step").GetInt64() == 1);
        Assert.Equal(2, running.GetProperty("progress").GetProperty("totalSteps").GetInt64());
        Assert.Equal(1.0, running.GetProperty("progress").GetProperty("losses").GetProperty("train").GetDouble());

        _factory.Trainer.Steps.Release();
        var failed = await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "failed");
        Assert.Equal(ProblemTypes.JobFailed, failed.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("told to fail", failed.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The runner carries on with the next job.
        var next = await JobsFactory.SubmitAsync(Client, Controlled(steps: 1));
        await JobsFactory.WaitForAsync(Client, next.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString() == "running");
        Assert.Equal(HttpStatusCode.Accepted, (await Client.DeleteAsync($"/v1/jobs/{next.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_running_job_passes_through_cancelling_and_a_finished_job_cannot_be_cancelled()
    {
        var id = (await JobsFactory.SubmitAsync(Client, Controlled(steps: 50))).GetProperty("id").GetString()!;
        await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "running");

        var response = await Client.DeleteAsync($"/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString();
        Assert.Contains(state, new[] { "cancelling", "cancelled" });
        await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "cancelled");

        var again = await Client.DeleteAsync($"/v1/jobs/{id}");
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, ProblemTypes.JobFinished);
        await ProblemAssert.IsProblemAsync(await Client.DeleteAsync("/v1/jobs/job_nope"), HttpStatusCode.NotFound, ProblemTypes.JobNotFound);
    }

    [Fact]
    public async Task A_queued_job_is_cancelled_at_once_and_a_full_queue_is_503_with_retry_after()
    {
        var running = (await JobsFactory.SubmitAsync(Client, Controlled(steps: 50))).GetProperty("id").GetString()!;
        await JobsFactory.WaitForAsync(Client, running, j => j.GetProperty("state").GetString() == "running");
        var queued1 = (await JobsFactory.SubmitAsync(Client, Controlled())).GetProperty("id").GetString()!;
        await JobsFactory.SubmitAsync(Client, Controlled());

        var full = await Client.PostAsJsonAsync("/v1/jobs", Controlled());
        await ProblemAssert.IsProblemAsync(full, HttpStatusCode.ServiceUnavailable, ProblemTypes.QueueFull);
        Assert.NotNull(full.Headers.RetryAfter);

        var cancel = await Client.DeleteAsync($"/v1/jobs/{queued1}");
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await JobsFactory.SubmitAsync(Client, Controlled()); // room again
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_same_job_for_the_same_request_and_422_for_another()
    {
        var first = await JobsFactory.SubmitAsync(Client, Controlled(steps: 50), "key-1");
        var second = await JobsFactory.SubmitAsync(Client, Controlled(steps: 50), "key-1");
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = JsonContent.Create(Controlled(steps: 7)) };
        request.Headers.Add("Idempotency-Key", "key-1");
        await ProblemAssert.IsProblemAsync(await Client.SendAsync(request), HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyConflict);
        var list = await Client.GetFromJsonAsync<JsonElement>("/v1/jobs");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("{\"kind\":\"nope\",\"dataset\":\"synthetic:squares?n=20&size=16\",\"model\":\"m\"}", "kind")]
    [InlineData("{\"kind\":\"controlled\",\"dataset\":\"synthetic:squares?n=20&size=16\",\"model\":\"m\",\"options\":{\"steps\":\"many\"}}", "options.steps")]
    [InlineData("{\"kind\":\"controlled\",\"dataset\":\"synthetic:squares?n=20&size=16\",\"model\":\"m\",\"options\":{\"colour\":1}}", "options.colour")]
    [InlineData("{\"kind\":\"controlled\",\"dataset\":\"synthetic:circles\",\"model\":\"m\"}", "dataset")]
    [InlineData("{\"kind\":\"controlled\",\"dataset\":\"synthetic:squares?n=20&size=16\",\"model\":\"../etc\"}", "model")]
    public async Task A_bad_request_is_400_naming_the_field_and_creates_no_job(string body, string field)
    {
        var response = await Client.PostAsync("/v1/jobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>("/v1/jobs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Jobs_need_the_train_scope()
    {
        var response = await _factory.CreateClient(ExplainApiFactory.InferKey).PostAsJsonAsync("/v1/jobs", Controlled());
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Listing_filters_by_state_and_pages()
    {
        var a = (await JobsFactory.SubmitAsync(Client, Controlled(steps: 50))).GetProperty("id").GetString()!;
        await JobsFactory.WaitForAsync(Client, a, j => j.GetProperty("state").GetString() == "running");
        await JobsFactory.SubmitAsync(Client, Controlled());
        await JobsFactory.SubmitAsync(Client, Controlled());

        var queued = await Client.GetFromJsonAsync<JsonElement>("/v1/jobs?state=queued&pageSize=1&page=2");
        Assert.Equal(2, queued.GetProperty("total").GetInt32());
        Assert.Single(queued.GetProperty("items").EnumerateArray());
        var running = await Client.GetFromJsonAsync<JsonElement>("/v1/jobs?state=running");
        Assert.Equal(a, running.GetProperty("items")[0].GetProperty("id").GetString());
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/v1/jobs?state=sleeping"), HttpStatusCode.BadRequest);
    }

    public void Dispose()
    {
        _factory.Trainer.Steps.Release(1000);
        _factory.Dispose();
    }
}
