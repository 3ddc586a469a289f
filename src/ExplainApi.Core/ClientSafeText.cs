using System.Text.RegularExpressions;

namespace ExplainApi.Core;

/// <summary>
/// Turns an internal failure message (ONNX Runtime, file system, SQLite, native loaders) into text a client may
/// see: a path inside <c>baseFolder</c> becomes relative to it ("model.onnx"), any other absolute path its file
/// name, so failure reasons stay meaningful without telling where the server keeps its files.
/// </summary>
public static partial class ClientSafeText
{
    public static string WithoutPaths(string message, string? baseFolder = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.IsNullOrEmpty(baseFolder))
        {
            var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseFolder)) + Path.DirectorySeparatorChar;
            message = message.Replace(prefix, "", StringComparison.Ordinal);
        }

        return AbsolutePath().Replace(message, m => LastSegment(m.Value));
    }

    // Either separator, whatever the OS we run on: a Windows path in a message is still a path.
    private static string LastSegment(string path)
    {
        var trimmed = path.TrimEnd('/', '\\');
        var name = trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.Length > 0 ? name : "…";
    }

    // Unix paths (two segments or more, so "/" in "N/A" or "a / b" is left alone) and Windows drive or UNC paths.
    [GeneratedRegex(@"(?<![\w.~])(?:/[^\s/'""():;,<>|]+){2,}/?|\b[A-Za-z]:\\[^\s'""():;,<>|]*|\\\\[^\s'""():;,<>|]+", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
