using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExplainApi.Host.Tests.Jobs;

public sealed class ResumedJobTests
{
    [Fact]
    public async Task A_job_resumed_after_a_restart_still_says_so_once_later_steps_and_its_end_are_recorded()
    {
        using var first = new JobsFactory();
        var client = first.CreateClient(ExplainApiFactory.TrainKey);
        var id = (await JobsFactory.SubmitAsync(client, new { kind = "controlled", dataset = "synthetic:squares?n=20&size=16", model = "m", options = new { steps = 4, fail = true } }))
            .GetProperty("id").GetString()!;
        first.Trainer.Steps.Release();
        await JobsFactory.WaitForAsync(client, id, j => j.GetProperty("progress") is { ValueKind: System.Text.Json.JsonValueKind.Object } p && p.GetProperty("step").GetInt64() == 1);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await first.Services.GetRequiredService<IHost>().StopAsync(timeout.Token); // back to the queue, checkpoint kept
        }

        using var second = new JobsFactory { DataDirectory = first.DataDirectory };
        var restarted = second.CreateClient(ExplainApiFactory.TrainKey);
        second.Trainer.Steps.Release(3); // steps 2 (resumed), 3 and 4, then the controlled failure
        var done = await JobsFactory.WaitForAsync(restarted, id, j => j.GetProperty("state").GetString() == "failed");

        var progress = done.GetProperty("progress");
        Assert.Equal((4, 2), (progress.GetProperty("step").GetInt64(), done.GetProperty("attempts").GetInt32()));
        Assert.True(progress.GetProperty("resumedFromCheckpoint").GetBoolean());
    }
}
