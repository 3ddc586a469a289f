using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Jobs;

public sealed class JobEventsTests : IDisposable
{
    private readonly JobsFactory _factory = new();

    private HttpClient Client => _factory.CreateClient(ExplainApiFactory.TrainKey);

    /// <summary>Reads SSE events (id, event, data) and comment lines until the server ends the stream.</summary>
    private static async Task<(List<(long Id, string Type, JsonElement Data)> Events, int Comments)> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<(long, string, JsonElement)>();
        var comments = 0;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long id = 0;
        string? type = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(':'))
            {
                comments++;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((id, type!, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
        }

        return (events, comments);
    }

    [Fact]
    public async Task Events_stream_state_and_progress_with_keep_alives_and_resume_after_last_event_id()
    {
        var job = await JobsFactory.SubmitAsync(Client, new { kind = "controlled", dataset = "synthetic:squares?n=20&size=16", model = "m", options = new { steps = 2, fail = true } });
        var id = job.GetProperty("id").GetString()!;
        await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "running");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{id}/events");
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reading = ReadAllAsync(response);

        await Task.Delay(1500); // idle longer than the 1 s keep-alive
        _factory.Trainer.Steps.Release(2);
        var (events, comments) = await reading;

        Assert.True(comments >= 1, "an idle stream carries keep-alive comments");
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Id).ToArray()[..5]);
        Assert.Equal("queued", events[0].Data.GetProperty("state").GetString());
        Assert.Equal("running", events[1].Data.GetProperty("state").GetString());
        Assert.Equal(2, events.Count(e => e.Type == "progress"));
        Assert.Equal("failed", events[^1].Data.GetProperty("state").GetString());

        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{id}/events");
        resume.Headers.Add("Last-Event-ID", "3");
        var (rest, _) = await ReadAllAsync(await Client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead));
        Assert.Equal(events.Where(e => e.Id > 3).Select(e => e.Id), rest.Select(e => e.Id));
    }

    [Fact]
    public async Task Curves_are_a_png_and_unknown_jobs_are_404()
    {
        var job = await JobsFactory.SubmitAsync(Client, new { kind = "controlled", dataset = "synthetic:squares?n=20&size=16", model = "m", options = new { steps = 3, fail = true } });
        var id = job.GetProperty("id").GetString()!;
        _factory.Trainer.Steps.Release(3);
        await JobsFactory.WaitForAsync(Client, id, j => j.GetProperty("state").GetString() == "failed");

        var png = await Client.GetAsync($"/v1/jobs/{id}/curves.png");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("image/png").MediaType, png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0x89, (await png.Content.ReadAsByteArrayAsync())[0]);
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/v1/jobs/job_missing/curves.png"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/v1/jobs/job_missing/events"), HttpStatusCode.NotFound);
    }

    public void Dispose()
    {
        _factory.Trainer.Steps.Release(1000);
        _factory.Dispose();
    }
}
