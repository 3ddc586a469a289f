using ExplainApi.Core.Files;

namespace ExplainApi.Host.Uploads;

/// <summary>
/// Where request bodies wait while they are read: {DataDirectory}/spool, 0700, files 0600 and deleted on
/// close. It is ours alone, so whatever is in it at start is a crash's leftover and goes; while running,
/// <see cref="SpoolSweeper"/> removes entries nobody has written for longer than any upload takes.
/// </summary>
public sealed class SpoolFolder(string dataDirectory)
{
    public const string FolderName = "spool";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FolderName);

    /// <summary>A new spool file, open for reading and writing, deleted when the stream is disposed.</summary>
    public FileStream CreateFile()
    {
        PrivateFiles.CreateDirectory(Path);
        return PrivateFiles.Create(System.IO.Path.Combine(Path, $"{Guid.NewGuid():N}.part"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous, bufferSize: 81920);
    }

    /// <summary>A new private working folder; its user deletes it, the sweeper removes it if a crash does not.</summary>
    public string CreateDirectory(string prefix) =>
        PrivateFiles.CreateDirectory(System.IO.Path.Combine(Path, $"{prefix}{Guid.NewGuid():N}")).FullName;

    /// <summary>Empties the folder (at start, before any request) and makes sure it is 0700.</summary>
    public int RemoveAll()
    {
        PrivateFiles.CreateOrRestrictDirectory(Path);
        return Remove(_ => true);
    }

    /// <summary>Removes files and folders last written more than <paramref name="age"/> before <paramref name="now"/>.</summary>
    public int RemoveOlderThan(TimeSpan age, DateTimeOffset now) => Remove(entry => now - entry.LastWriteTimeUtc > age);

    private int Remove(Func<FileSystemInfo, bool> doomed)
    {
        var folder = new DirectoryInfo(Path);
        if (!folder.Exists)
        {
            return 0;
        }

        var removed = 0;
        foreach (var entry in folder.EnumerateFileSystemInfos().Where(doomed))
        {
            try
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone already, or being removed by its owner; the next sweep tries again.
            }
        }

        return removed;
    }
}
