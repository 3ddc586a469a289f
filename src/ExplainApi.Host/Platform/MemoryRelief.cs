using System.Runtime;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Platform;

/// <summary>
/// Gives a burst's memory back once the service is idle. The GC runs only when allocations ask for it, so the large
/// temporaries of a burst (decoded images, tensors, request buffers on the large object heap) stay committed while
/// nothing is allocated, which is exactly when they are garbage. Every 2 s: when at least MinAllocatedBytes were
/// allocated since the last relief and less than IdleAllocatedBytes in the last interval, one aggressive full
/// collection (compacts the LOH, decommits free regions) returns the pages to the OS.
/// </summary>
public sealed class MemoryRelief(IOptions<MemoryReliefOptions> options, ILogger<MemoryRelief> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PoolTrimDelay = TimeSpan.FromSeconds(65);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.CollectWhenIdle)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        var (last, sinceRelief) = (GC.GetTotalAllocatedBytes(), 0L);
        DateTime? trimDue = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = GC.GetTotalAllocatedBytes();
            var (recent, total) = (now - last, sinceRelief + (now - last));
            last = now;
            var idle = recent < settings.IdleAllocatedBytes;
            if (idle && (total >= settings.MinAllocatedBytes || DateTime.UtcNow >= trimDue))
            {
                Collect(total);
                // ArrayPool.Shared drops arrays unused for a minute only at a full collection: one more after that.
                (sinceRelief, trimDue) = (0, total >= settings.MinAllocatedBytes ? DateTime.UtcNow + PoolTrimDelay : null);
                continue;
            }

            sinceRelief = total;
        }
    }

    private void Collect(long allocated)
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogDebug("Idle after {AllocatedMiB} MiB allocated: working set {BeforeMiB} -> {AfterMiB} MiB",
            allocated >> 20, before >> 20, Environment.WorkingSet >> 20);
    }
}
