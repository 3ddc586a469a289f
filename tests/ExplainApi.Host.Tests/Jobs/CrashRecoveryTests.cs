using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>
/// The durability promise end to end: a real service process is killed with SIGKILL in the middle of a
/// real training job; the restarted process resumes the job from its last checkpoint and finishes it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CrashRecoveryTests : IDisposable
{
    private const string Key = "crash-test-key-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("explainapi-crash-").FullName;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["ExplainApi__Jobs__CheckpointEverySteps"] = "10",
        ["ExplainApi__Jobs__ProgressIntervalMilliseconds"] = "50",
        ["ExplainApi__Jobs__PollIntervalMilliseconds"] = "200",
        ["ExplainApi__RateLimit__PermitsPerWindow"] = "100000",
    };

    [Fact]
    public async Task A_job_killed_mid_training_resumes_from_its_checkpoint_after_restart_and_succeeds()
    {
        string id;
        long stepAtKill;
        using (var first = await ServiceProcess.StartAsync(_data, Key, Settings))
        {
            using var client = Client(first);
            var response = await client.PostAsJsonAsync("/v1/jobs", new
            {
                kind = "logistic-regression",
                dataset = "synthetic:squares?n=400&size=64&seed=5",
                model = "crash-test",
                options = new { epochs = 20, batchSize = 8, learningRate = 0.01 },
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Wait until at least two checkpoints' worth of steps are done, then pull the plug.
            var job = await PollAsync(client, id, j => Step(j) >= 25);
            Assert.Equal("running", job.GetProperty("state").GetString());
            stepAtKill = Step(job);
            first.Kill();
        }

        Assert.True(Directory.EnumerateFiles(Path.Combine(_data, "jobs", id, "work"), "*", SearchOption.AllDirectories).Any(),
            "a checkpoint should exist in the job's work folder");

        using var second = await ServiceProcess.StartAsync(_data, Key, Settings);
        using var restarted = Client(second);
        var done = await PollAsync(restarted, id, j => j.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled", seconds: 240);
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.NotNull(done.GetProperty("links").GetProperty("model").GetString());
        Assert.True(done.GetProperty("progress").GetProperty("resumedFromCheckpoint").GetBoolean(), "the finished job keeps saying it resumed");

        // The first progress report of the second attempt resumed from a checkpoint, not from step 0.
        var events = await restarted.GetStringAsync($"/v1/jobs/{id}/events");
        var progress = events.Split('\n').Where(l => l.StartsWith("data: {\"phase\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l[6..]).RootElement).ToList();
        var resumed = progress.First(p => p.GetProperty("resumedFromCheckpoint").GetBoolean());
        // It may have checkpointed again between our last look and the kill, so only the lower bound is exact.
        Assert.InRange(resumed.GetProperty("step").GetInt64(), 10, resumed.GetProperty("totalSteps").GetInt64() - 1);
        Assert.True(stepAtKill >= 25);
    }

    private static HttpClient Client(ServiceProcess service)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static long Step(JsonElement job) =>
        job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? p.GetProperty("step").GetInt64() : 0;

    private static async Task<JsonElement> PollAsync(HttpClient client, string id, Func<JsonElement, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {id} did not get there in {seconds} s: {job}");
            await Task.Delay(25);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
