namespace ExplainApi.Core.Storage;

/// <summary>
/// How datasets and model versions create the files they store: the one seam where a test puts a disk that
/// fills up after N bytes. Production uses <see cref="DiskFiles"/>.
/// </summary>
public interface IStorageFiles
{
    /// <summary>A new file open for writing; fails when it exists.</summary>
    Stream CreateNew(string path, bool useAsync = false);
}

/// <summary>Plain files on disk.</summary>
public sealed class DiskFiles : IStorageFiles
{
    private const int BufferSize = 1 << 16;

    public static DiskFiles Instance { get; } = new();

    // 0600: what is stored here derives from patient images (see PrivateFiles).
    public Stream CreateNew(string path, bool useAsync = false) =>
        Files.PrivateFiles.Create(path, FileMode.CreateNew, FileAccess.Write, useAsync ? FileOptions.Asynchronous : FileOptions.None, BufferSize);

    /// <summary>Flushes through the OS cache when the stream is a file (so a full disk shows now, not at close).</summary>
    public static void FlushToDisk(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }
    }
}
