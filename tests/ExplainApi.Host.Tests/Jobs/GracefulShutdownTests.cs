using ExplainApi.Host.Jobs;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExplainApi.Host.Tests.Jobs;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_stops_a_running_trainer_and_returns_its_job_to_the_queue()
    {
        using var factory = new JobsFactory();
        var client = factory.CreateClient(ExplainApiFactory.TrainKey);
        var id = (await JobsFactory.SubmitAsync(client, new { kind = "controlled", dataset = "synthetic:squares?n=20&size=16", model = "m", options = new { steps = 50 } }))
            .GetProperty("id").GetString()!;
        await JobsFactory.WaitForAsync(client, id, j => j.GetProperty("state").GetString() == "running");

        var store = factory.Services.GetRequiredService<JobStore>();
        var host = factory.Services.GetRequiredService<IHost>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);

        var job = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Null(job.Error);
        Assert.Equal(1, job.Attempts);
    }
}
