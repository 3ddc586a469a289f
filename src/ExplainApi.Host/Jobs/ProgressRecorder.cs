using ExplainApi.Core.Training;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// Receives a trainer's progress on its own thread and writes it to the store at most once per
/// interval, plus every change of phase or epoch (so epoch-end metrics are never skipped). The ETA is
/// the step rate since this process started the job, so a resumed job is not judged by the old run.
/// Trainers flag only their first report after loading a checkpoint; the job keeps the flag from then on.
/// </summary>
public sealed class ProgressRecorder(JobStore store, string jobId, TimeSpan interval, TimeProvider clock) : IProgress<TrainingProgress>
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private (string Phase, int Epoch) _lastKey;
    private (DateTimeOffset At, long Step)? _origin;
    private JobProgress? _pending;
    private bool _resumed;

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var now = clock.GetUtcNow();
        JobProgress progress;
        bool write;
        lock (_gate)
        {
            _origin ??= (now, value.Step);
            _resumed |= value.ResumedFromCheckpoint;
            var (at, step) = _origin.Value;
            var rate = (value.Step - step) / Math.Max((now - at).TotalSeconds, 1e-3);
            double? eta = rate > 0 && value.TotalSteps > 0 ? Math.Round(Math.Max(value.TotalSteps - value.Step, 0) / rate, 1) : null;
            progress = new JobProgress(value.Phase, value.Epoch, value.TotalEpochs, value.Step, value.TotalSteps,
                value.Losses, value.Metrics, _resumed, eta, now);
            var key = (value.Phase, value.Epoch);
            write = key != _lastKey || now - _lastWrite >= interval;
            if (write)
            {
                _lastKey = key;
                _lastWrite = now;
                _pending = null;
            }
            else
            {
                _pending = progress;
            }
        }

        if (write)
        {
            // Synchronous on purpose: the trainer's thread is the only writer, and a write is ~1 ms.
            store.SaveProgressAsync(jobId, progress, appendEvent: true, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>Writes the last report if the throttle held it back.</summary>
    public async Task FlushAsync()
    {
        JobProgress? pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = null;
        }

        if (pending is not null)
        {
            await store.SaveProgressAsync(jobId, pending, appendEvent: true, CancellationToken.None);
        }
    }
}
