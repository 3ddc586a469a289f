using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Cli;

/// <summary>
/// Runs one validated job in the foreground for the `train` and `evaluate` commands: stored like an API job, claimed by id,
/// run by the same <see cref="JobExecutor"/>, with a progress bar. Ctrl+C stops at the next step; the job stays queued.
/// </summary>
public static class ForegroundJob
{
    /// <returns>0 when the job succeeded, else 1.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, ValidatedJob validated, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(validated);
        ArgumentNullException.ThrowIfNull(output);
        var created = validated.Job ?? throw new ArgumentException("Only a valid job can run.", nameof(validated));
        var store = services.GetRequiredService<JobStore>();
        await store.CreateAsync(created, null, validated.RequestHash!, int.MaxValue, CancellationToken.None);
        var job = (await store.ClaimNextAsync(CancellationToken.None, created.Id))!;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await output.WriteLineAsync($"job {job.Id}: {job.Kind} on {job.Dataset} → model {job.Model}");
        var run = services.GetRequiredService<JobExecutor>().RunAsync(job, stop.Token);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(250, CancellationToken.None));
            var current = await store.GetAsync(job.Id, CancellationToken.None);
            await output.WriteAsync("\r" + ProgressBar.Render(current?.Progress) + "   ");
        }

        await run;
        var final = (await store.GetAsync(job.Id, CancellationToken.None))!;
        await output.WriteLineAsync();
        await output.WriteLineAsync(final.State switch
        {
            JobState.Succeeded => $"succeeded: model {final.Model} version {final.ModelVersion}",
            JobState.Queued => "stopped after a checkpoint; the job resumes when the service (or this command) runs it again",
            _ => $"{final.State}: {final.Error?.Detail}",
        });
        return final.State == JobState.Succeeded ? 0 : 1;
    }
}

