namespace ExplainApi.Core;

/// <summary>Free space of the file system holding a folder.</summary>
public static class DiskSpace
{
    /// <summary>Bytes this process may still write on the file system that holds <paramref name="folder"/> (statvfs on Unix).</summary>
    public static long AvailableBytes(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
    }
}
