using System.Text;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Rules for names inside an uploaded archive. Nothing is ever extracted by name, but a name that
/// would escape a folder on some system (../, /abs, C:\, backslashes) marks a hostile or broken
/// archive, and refusing it keeps every later consumer safe.
/// </summary>
public static class ArchivePaths
{
    private static readonly string[] ArchiveExtensions =
        [".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst", ".jar"];

    /// <summary>Why <paramref name="path"/> is not a safe relative path with '/' separators, or null.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "has an empty name";
        }

        if (path.Length > 1024)
        {
            return "has a name longer than 1024 characters";
        }

        if (path.Any(char.IsControl))
        {
            return "contains a control character";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "contains a backslash (paths inside a zip use '/')";
        }

        if (path.StartsWith('/'))
        {
            return "is an absolute path";
        }

        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            return "starts with a drive letter";
        }

        if (path.Contains(':', StringComparison.Ordinal))
        {
            return "contains ':'";
        }

        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "..":
                    return "climbs out of the archive with '..'";
                case ".":
                    return "contains a '.' segment";
                case "":
                    return "contains an empty path segment";
            }
        }

        return null;
    }

    /// <summary>macOS resource forks (__MACOSX/, ._x), dot files and Windows thumbnails: never images of the dataset.</summary>
    public static bool IsHiddenOrSystem(string path) =>
        path.Split('/').Any(s => s.StartsWith('.') || s == "__MACOSX")
        || Path.GetFileName(path) is "Thumbs.db" or "desktop.ini";

    /// <summary>A nested archive by name; <c>.nii.gz</c> is an image, not an archive.</summary>
    public static bool IsArchiveName(string path) =>
        !path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase)
        && ArchiveExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>A nested archive by its magic bytes: zip, 7z, RAR, bzip2, xz, tar (gzip is left to the NIfTI decoder).</summary>
    public static bool LooksLikeArchive(ReadOnlySpan<byte> data) =>
        data.StartsWith("PK\u0003\u0004"u8) || data.StartsWith("PK\u0005\u0006"u8)
        || data.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C])
        || data.StartsWith("Rar!\u001A\u0007"u8) || data.StartsWith("BZh"u8)
        || data.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00])
        || (data.Length > 262 && data.Slice(257, 5).SequenceEqual("ustar"u8));

    /// <summary>A name safe to quote in a message: control characters escaped, long names cut.</summary>
    public static string Printable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var builder = new StringBuilder();
        foreach (var c in path.Length > 200 ? path[..200] + "…" : path)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
