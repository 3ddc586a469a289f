using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// Runs queued jobs, at most <see cref="JobsOptions.MaxConcurrentJobs"/> at once. At start it returns
/// jobs a dead process left running to the queue, so they resume from their checkpoints. On shutdown
/// the running trainers are cancelled (they checkpoint first) and their jobs go back to the queue.
/// </summary>
public sealed class JobRunner(
    JobStore store,
    JobSignals signals,
    JobExecutor executor,
    IOptions<JobsOptions> options,
    ILogger<JobRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the store migrate) before any training competes for the CPU.
        await Task.Yield();
        var recovered = await store.RecoverAsync(stoppingToken);
        if (recovered > 0)
        {
            logger.LogWarning("{RecoveredJobs} jobs were running when the service stopped; they resume from their checkpoints", recovered);
        }

        var slots = new SemaphoreSlim(options.Value.MaxConcurrentJobs);
        var running = new List<Task>();
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                JobRecord? job;
                try
                {
                    job = await store.ClaimNextAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A store hiccup (disk full, locked file) must not stop the host: log, back off, retry.
                    slots.Release();
                    logger.LogError(exception, "Could not claim the next job; retrying in {RetrySeconds} s", poll.TotalSeconds);
                    await Task.Delay(poll, stoppingToken);
                    continue;
                }

                if (job is null)
                {
                    slots.Release();
                    await signals.WaitAsync(poll, stoppingToken);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await executor.RunAsync(job, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                        signals.Wake();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: fall through and wait for trainers to checkpoint.
        }

        await Task.WhenAll(running);
    }
}
