using System.Text;

namespace ExplainApi.Core.Files;

/// <summary>
/// Writes a file under a temporary name next to it and moves it into place, so a crash or a concurrent reader never
/// sees half a file (a rename within one folder is atomic). The one place every output file goes through. Bytes written
/// here are created 0600 (<see cref="PrivateFiles"/>): job outputs are derived from datasets, which may be patient images.
/// </summary>
public static class AtomicFile
{
    /// <summary>Lets <paramref name="write"/> fill the temporary path, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task WriteAllBytesAsync(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp";
        await PrivateFiles.WriteAllBytesAsync(temporary, bytes, CancellationToken.None);
        File.Move(temporary, path, overwrite: true);
    }

    public static Task WriteAllTextAsync(string path, string text) => WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(text));
}
