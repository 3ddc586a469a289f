namespace ExplainApi.Core.Storage;

/// <summary>Free space of the volume holding a path, as an unprivileged writer sees it (statvfs f_bavail × f_frsize on Unix).</summary>
public static class DiskSpace
{
    /// <summary>Bytes this process may still write on the volume of <paramref name="path"/> (its nearest existing ancestor when it does not exist yet).</summary>
    public static long Available(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        return new DriveInfo(existing).AvailableFreeSpace;
    }
}
