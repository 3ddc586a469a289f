using ExplainApi.Host.Jobs;
using ExplainApi.Host.Storage;

namespace ExplainApi.Host.Cli;

/// <summary>
/// Runs one job in the foreground for the `train`, `evaluate` and `difference-summary` commands: validated by the same
/// <see cref="JobRequestValidator"/> (so the same <see cref="IJobHandler"/>) as POST /v1/jobs, stored like an API job,
/// claimed by id, run by the same <see cref="JobExecutor"/>, with a progress bar. Ctrl+C stops at the next step; the job stays queued.
/// </summary>
public static class ForegroundJob
{
    /// <returns>0 when the job succeeded, 1 when it did not, 2 when the request is invalid.</returns>
    public static async Task<int> RunAsync(JobRequest request, string[] hostArgs, Action<IHostApplicationBuilder> addServices, TextWriter output,
        Func<IServiceProvider, JobRecord, Task>? succeeded = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(output);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(hostArgs);

        // The progress bar owns the terminal; only warnings and errors interrupt it.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        addServices(builder);
        using var host = builder.Build();
        var services = host.Services;
        await services.GetRequiredService<StoreInitializer>().StartAsync(CancellationToken.None);
        var validated = services.GetRequiredService<JobRequestValidator>().Validate(request);
        foreach (var (field, messages) in validated.Errors)
        {
            await output.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
        }

        if (validated.Job is null)
        {
            await output.WriteLineAsync(validated.ModelMissing ? $"Model '{request.Model}' is not registered."
                : validated.DatasetProblem ?? validated.LinkProblem ?? "The job request is invalid.");
            return 2;
        }

        var final = await RunAsync(services, validated, output);
        if (final.State == JobState.Succeeded && succeeded is not null)
        {
            await succeeded(services, final);
        }

        return final.State == JobState.Succeeded ? 0 : 1;
    }

    private static async Task<JobRecord> RunAsync(IServiceProvider services, ValidatedJob validated, TextWriter output)
    {
        var created = validated.Job!;
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
        return final;
    }
}
