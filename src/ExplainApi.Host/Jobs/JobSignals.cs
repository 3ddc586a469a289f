using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// In-process coordination only (the store is the truth): a wake-up channel for the runner and the
/// cancellation sources of the jobs this process is running.
/// </summary>
public sealed class JobSignals
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(poll);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: look at the store anyway.
        }
    }

    public void Started(string jobId, CancellationTokenSource cancel) => _running[jobId] = cancel;

    public void Finished(string jobId) => _running.TryRemove(jobId, out _);

    /// <summary>Asks a job running in this process to stop at its next step; false when it does not run here.</summary>
    public bool RequestCancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var cancel))
        {
            return false;
        }

        cancel.Cancel();
        return true;
    }
}
