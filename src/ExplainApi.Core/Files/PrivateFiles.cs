namespace ExplainApi.Core.Files;

/// <summary>
/// Files and folders only the service's own user may read: uploads and everything derived from them are
/// patient images, so they are created 0600 in 0700 folders (on Unix; Windows inherits the folder's ACL).
/// The mode is set when the file is created, so there is no moment at which it is readable by others.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) 0700; an existing folder is left as it is.</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, DirectoryMode);

    /// <summary>Creates the folder 0700, or narrows an existing one to 0700 (a folder the service owns outright, such as its spool).</summary>
    public static DirectoryInfo CreateOrRestrictDirectory(string path)
    {
        var directory = CreateDirectory(path);
        if (!OperatingSystem.IsWindows() && directory.UnixFileMode != DirectoryMode)
        {
            directory.UnixFileMode = DirectoryMode;
        }

        return directory;
    }

    /// <summary>Opens a new file created 0600.</summary>
    public static FileStream Create(string path, System.IO.FileMode mode = System.IO.FileMode.CreateNew, FileAccess access = FileAccess.Write,
        FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var streamOptions = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = FileMode;
        }

        return new FileStream(path, streamOptions);
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = Create(path, System.IO.FileMode.Create);
        stream.Write(bytes);
    }

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var stream = Create(path, System.IO.FileMode.Create, options: FileOptions.Asynchronous);
        await stream.WriteAsync(bytes, cancellationToken);
    }
}
