namespace ExplainApi.Core.Storage;

/// <summary>
/// Admits a write only when it fits in the volume's free space minus a reserve kept for the database, logs and
/// running jobs. Admitted sizes stay claimed until the claim is disposed, so two imports checked at the same
/// moment cannot both count the same free bytes. Claims are pooled across paths (one data volume is assumed;
/// with several the check is only stricter).
/// </summary>
public sealed class StorageReserve(long minFreeBytes, Func<string, long>? available = null)
{
    private readonly Func<string, long> _available = available ?? DiskSpace.Available;
    private readonly Lock _gate = new();
    private long _claimed;

    public long MinFreeBytes => minFreeBytes;

    /// <summary>Claims <paramref name="bytes"/> on the volume of <paramref name="path"/> until the result is disposed.</summary>
    /// <exception cref="InsufficientStorageException">They do not fit beyond the reserve and the other claims.</exception>
    public IDisposable Claim(string path, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            var free = Math.Max(0, _available(path) - minFreeBytes - _claimed);
            if (bytes > free)
            {
                throw new InsufficientStorageException(bytes, free);
            }

            _claimed += bytes;
        }

        return new Release(this, bytes);
    }

    private sealed class Release(StorageReserve owner, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (owner._gate)
                {
                    owner._claimed -= bytes;
                }
            }
        }
    }
}
