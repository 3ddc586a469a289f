namespace ExplainApi.Core.Storage;

/// <summary>
/// Admits a write to the data volume only when it fits in the free space minus a reserve kept for the
/// database, logs and training checkpoints. Admitted sizes stay claimed until disposed, so two imports
/// checked at the same moment cannot both count the same free bytes.
/// </summary>
/// <param name="path">A folder on the volume (need not exist yet).</param>
/// <param name="available">Free bytes of a path's volume; <see cref="DiskSpace.Available"/> when null.</param>
public sealed class StorageReserve(string path, long minFreeBytes, Func<string, long>? available = null) : ISpaceClaims
{
    private readonly Func<string, long> _available = available ?? DiskSpace.Available;
    private readonly Lock _gate = new();
    private long _claimed;

    public long MinFreeBytes => minFreeBytes;

    /// <exception cref="InsufficientStorageException">The bytes do not fit beyond the reserve and the other claims.</exception>
    public IDisposable Claim(long bytes)
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
