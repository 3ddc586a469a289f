using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Uploaded datasets on disk: one folder per id under <see cref="Root"/>, each written by
/// <see cref="ZipDatasetImporter"/>. Folders whose name starts with '.' are work in progress
/// (staging, deletion) and never listed. An import claims its predicted size here first: against the
/// total allowed for all datasets (a policy limit), then against the volume's free space.
/// </summary>
public sealed class UploadedDatasetStore : ISpaceClaims
{
    private const string DeletingPrefix = ".deleting-";

    private readonly ISpaceClaims? _disk;
    private readonly Lock _gate = new();
    private long _claimed;

    /// <param name="maxTotalStoredBytes">What every dataset together may store, imports in flight included.</param>
    /// <param name="disk">The volume's free-space check (<see cref="StorageReserve"/>); null checks none.</param>
    public UploadedDatasetStore(string root, long maxTotalStoredBytes = long.MaxValue, ISpaceClaims? disk = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTotalStoredBytes);
        Root = Path.GetFullPath(root);
        MaxTotalStoredBytes = maxTotalStoredBytes;
        _disk = disk;
    }

    public string Root { get; }

    public long MaxTotalStoredBytes { get; }

    /// <summary>Where earlier versions spooled uploads (the host now spools under {DataDirectory}/spool); only swept as leftovers.</summary>
    public string UploadsDirectory => Path.Combine(Root, ".uploads");

    public string DirectoryOf(string id) => DatasetIds.IsValid(id)
        ? Path.Combine(Root, id)
        : throw new ArgumentException($"'{id}' is not a dataset id.", nameof(id));

    /// <summary>The dataset's index, or null when the id is malformed or names nothing.</summary>
    /// <exception cref="InvalidDataException">The folder exists but its index is damaged.</exception>
    public DatasetIndex? Find(string id)
    {
        if (!DatasetIds.IsValid(id))
        {
            return null;
        }

        try
        {
            return DatasetIndex.Load(DirectoryOf(id));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The dataset, or null when the id names nothing.</summary>
    /// <exception cref="InvalidDataException">The folder exists but is damaged.</exception>
    public UploadedDataset? Open(string id) => Find(id) is null ? null : UploadedDataset.Open(DirectoryOf(id));

    /// <summary>Every readable dataset, newest first; damaged folders are skipped.</summary>
    public IReadOnlyList<DatasetIndex> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var indices = new List<DatasetIndex>();
        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            try
            {
                if (Find(Path.GetFileName(directory)) is { } index)
                {
                    indices.Add(index);
                }
            }
            catch (InvalidDataException)
            {
                // A damaged dataset stays on disk for inspection but is not offered.
            }
        }

        return [.. indices.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    /// <summary>Bytes in the datasets' folders (work in progress, spooled uploads and deletions not counted).</summary>
    public long StoredBytes()
    {
        var root = new DirectoryInfo(Root);
        return !root.Exists ? 0 : root.EnumerateDirectories()
            .Where(d => DatasetIds.IsValid(d.Name))
            .SelectMany(d => d.EnumerateFiles("*", SearchOption.AllDirectories))
            .Sum(f => f.Length);
    }

    /// <exception cref="DatasetImportException"><see cref="DatasetImportError.QuotaExceeded"/>: over the total for all datasets.</exception>
    /// <exception cref="InsufficientStorageException">Not enough free space on the volume beyond its reserve.</exception>
    public IDisposable Claim(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            var used = StoredBytes() + _claimed;
            if (used + bytes > MaxTotalStoredBytes)
            {
                throw new DatasetImportException(DatasetImportError.QuotaExceeded,
                    $"Uploaded datasets may store {MaxTotalStoredBytes} bytes together; {used} are in use and this one needs up to {bytes}. " +
                    "Delete datasets you no longer need, or send fewer or smaller images.");
            }

            var disk = _disk?.Claim(bytes);
            _claimed += bytes;
            return new Release(this, bytes, disk);
        }
    }

    /// <summary>Removes a dataset: renamed out of sight first (atomic), then deleted. False when it does not exist.</summary>
    public bool Delete(string id)
    {
        if (!DatasetIds.IsValid(id) || !Directory.Exists(DirectoryOf(id)))
        {
            return false;
        }

        var doomed = Path.Combine(Root, $"{DeletingPrefix}{id}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(DirectoryOf(id), doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        Directory.Delete(doomed, recursive: true);
        return true;
    }

    /// <summary>Deletes staging and half-deleted folders and spooled uploads older than <paramref name="age"/> (left by a crash).</summary>
    public void RemoveStaleWork(TimeSpan age, DateTimeOffset now)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in new DirectoryInfo(Root).EnumerateDirectories())
        {
            var isWork = directory.Name.StartsWith(ZipDatasetImporter.StagingPrefix, StringComparison.Ordinal)
                || directory.Name.StartsWith(DeletingPrefix, StringComparison.Ordinal);
            if (isWork && now - directory.LastWriteTimeUtc > age)
            {
                try
                {
                    directory.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // Another process may be removing it too.
                }
            }
        }

        var uploads = new DirectoryInfo(UploadsDirectory);
        foreach (var file in uploads.Exists ? uploads.EnumerateFiles() : [])
        {
            if (now - file.LastWriteTimeUtc > age)
            {
                try
                {
                    file.Delete();
                }
                catch (IOException)
                {
                    // Still open in another process.
                }
            }
        }
    }

    private sealed class Release(UploadedDatasetStore owner, long bytes, IDisposable? disk) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            lock (owner._gate)
            {
                owner._claimed -= bytes;
            }

            disk?.Dispose();
        }
    }
}
