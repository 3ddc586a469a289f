using ExplainApi.Core.Datasets;
using ExplainApi.Host.Storage;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Uploads;

/// <summary>
/// Removes what a crash left behind (uploads and import work hold patient images): at start, before the
/// server takes requests, the whole spool and every dataset staging folder; then, every few minutes,
/// spool entries older than <see cref="StorageOptions.SpoolMaxAgeMinutes"/>.
/// </summary>
public sealed class SpoolSweeper(
    SpoolFolder spool, UploadedDatasetStore datasets, IOptions<StorageOptions> options, TimeProvider time, ILogger<SpoolSweeper> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = spool.RemoveAll();
        // Nothing imports before the server starts, so every staging folder is a leftover, whatever its age.
        datasets.RemoveStaleWork(TimeSpan.Zero, DateTimeOffset.MaxValue);
        logger.LogInformation("Spool emptied at start ({Removed} leftover entries removed)", removed);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>One periodic sweep; public so a test can run it at a chosen clock.</summary>
    public int SweepOld()
    {
        var removed = spool.RemoveOlderThan(TimeSpan.FromMinutes(options.Value.SpoolMaxAgeMinutes), time.GetUtcNow());
        if (removed > 0)
        {
            logger.LogInformation("Spool sweep removed {Removed} stale entries", removed);
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SpoolSweepIntervalMinutes), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            SweepOld();
        }
    }
}
