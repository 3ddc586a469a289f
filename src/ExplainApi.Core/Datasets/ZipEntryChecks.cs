using System.IO.Compression;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Checks every entry of the central directory before any is opened: count, names (traversal,
/// absolute, backslash, drive letter), links, duplicates, declared sizes and compression ratios.
/// </summary>
public static class ZipEntryChecks
{
    // Unix file type in the high half of the external attributes (st_mode): S_IFLNK.
    private const int FileTypeMask = 0xF000, SymbolicLink = 0xA000;

    /// <summary>The file entries (directories left out), or a <see cref="DatasetImportException"/> for the first problem.</summary>
    public static IReadOnlyList<ZipArchiveEntry> FileEntries(ZipArchive archive, ZipImportLimits limits, long archiveBytes)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(limits);
        var entries = archive.Entries;
        if (entries.Count > limits.MaxEntries)
        {
            throw TooLarge($"The archive has {entries.Count} entries; the limit is {limits.MaxEntries}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<ZipArchiveEntry>();
        long total = 0;
        foreach (var entry in entries)
        {
            var name = entry.FullName;
            var isDirectory = name.EndsWith('/');
            if (ArchivePaths.Problem(isDirectory ? name[..^1] : name) is { } problem)
            {
                throw Malformed($"Entry '{ArchivePaths.Printable(name)}' {problem}; archives with such paths are refused.");
            }

            if (!names.Add(name))
            {
                throw Malformed($"Entry '{ArchivePaths.Printable(name)}' appears more than once in the archive.");
            }

            if (((entry.ExternalAttributes >> 16) & FileTypeMask) == SymbolicLink)
            {
                throw Malformed($"Entry '{ArchivePaths.Printable(name)}' is a symbolic link; archives with links are refused.");
            }

            if (isDirectory)
            {
                continue;
            }

            total += CheckSizes(entry, limits);
            if (total > limits.MaxUncompressedBytes)
            {
                throw TooLarge($"The entries declare more than {limits.MaxUncompressedBytes} bytes uncompressed in total; that is the limit.");
            }

            files.Add(entry);
        }

        if (total >= limits.RatioCheckMinBytes && total > limits.MaxCompressionRatio * Math.Max(archiveBytes, 1))
        {
            throw TooLarge($"The archive inflates {total / (double)Math.Max(archiveBytes, 1):F0}:1 ({total} bytes from {archiveBytes}); " +
                $"the limit is {limits.MaxCompressionRatio}:1. It looks like a zip bomb.");
        }

        return files;
    }

    private static long CheckSizes(ZipArchiveEntry entry, ZipImportLimits limits)
    {
        var name = ArchivePaths.Printable(entry.FullName);
        var (length, compressed) = (entry.Length, entry.CompressedLength);
        if (length < 0 || compressed < 0)
        {
            throw Malformed($"Entry '{name}' declares a negative size; the archive is corrupt.");
        }

        if (length > limits.MaxEntryBytes)
        {
            throw TooLarge($"Entry '{name}' declares {length} bytes uncompressed; the limit per file is {limits.MaxEntryBytes}.");
        }

        if (length >= limits.RatioCheckMinBytes && length > limits.MaxCompressionRatio * Math.Max(compressed, 1))
        {
            throw TooLarge($"Entry '{name}' inflates {length / (double)Math.Max(compressed, 1):F0}:1 ({length} bytes from {compressed}); " +
                $"the limit is {limits.MaxCompressionRatio}:1. It looks like a zip bomb.");
        }

        return length;
    }

    private static DatasetImportException TooLarge(string message) => new(DatasetImportError.TooLarge, message);

    private static DatasetImportException Malformed(string message) => new(DatasetImportError.Malformed, message);
}
