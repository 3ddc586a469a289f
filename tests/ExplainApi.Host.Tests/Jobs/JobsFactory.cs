using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>The application with the controlled trainer added beside the real ones, a small queue and fast polling.</summary>
public sealed class JobsFactory : ExplainApiFactory
{
    public ControlledTrainer Trainer { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["ExplainApi:Jobs:MaxConcurrentJobs"] = "1",
        ["ExplainApi:Jobs:MaxQueuedJobs"] = "2",
        ["ExplainApi:Jobs:PollIntervalMilliseconds"] = "100",
        ["ExplainApi:Jobs:ProgressIntervalMilliseconds"] = "50",
        ["ExplainApi:Jobs:EventsKeepAliveSeconds"] = "1",
    };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ITrainer>(Trainer);

    /// <summary>Polls GET /v1/jobs/{id} until <paramref name="done"/> holds (60 s at most).</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {id} did not reach the expected state: {job}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> SubmitAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/v1/jobs/{job.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return job;
    }
}
