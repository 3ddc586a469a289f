using System.Globalization;
using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Models;

/// <summary>Folder housekeeping of the registry: version folder names, staging, trash and leftovers.</summary>
public sealed partial class FileModelRegistry
{
    // Model names start with a letter or digit, so these hidden folders never collide with a model.
    private const string StagingPrefix = ".staging-";
    private const string TrashPrefix = ".trash-";
    private static readonly TimeSpan StaleStaging = TimeSpan.FromDays(1);

    /// <summary>
    /// Folders that are neither a model nor a version, and why (for the host to log at start), named relative to
    /// <see cref="Root"/>. Numbered folders without a readable manifest are not ignored: see <see cref="Unreadable"/>.
    /// </summary>
    public IReadOnlyList<ModelFolderProblem> IgnoredFolders()
    {
        var problems = new List<ModelFolderProblem>();
        foreach (var modelDirectory in Subdirectories(Root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(modelDirectory);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!ModelName.IsValid(name))
            {
                problems.Add(new ModelFolderProblem(name, ModelName.Rule));
                continue;
            }

            foreach (var directory in Subdirectories(modelDirectory).Order(StringComparer.Ordinal))
            {
                var folder = Path.GetFileName(directory);
                if (!folder.StartsWith('.') && ParseVersion(folder) == 0)
                {
                    problems.Add(new ModelFolderProblem(name + "/" + folder, "not a version number"));
                }
            }
        }

        return problems;
    }

    /// <summary>The version a folder name stands for in canonical form ("3", not "03" or "+3"), else 0.</summary>
    private static int ParseVersion(string folder) =>
        int.TryParse(folder, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            && v.ToString(CultureInfo.InvariantCulture) == folder ? v : 0;

    private static string[] Subdirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        File.Delete(path); // a retry with the next version number rewrites the staged manifest
        await using var output = files.CreateNew(path, useAsync: true);
        await output.WriteAsync(bytes, cancellationToken);
        DiskFiles.FlushToDisk(output);
    }

    /// <summary>Renames first so that the folder disappears from listings at once, then deletes at leisure.</summary>
    private static void MoveToTrashAndDelete(string directory, string trashParent)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var trash = Path.Combine(trashParent, TrashPrefix + Path.GetFileName(directory) + "-" + Guid.NewGuid().ToString("N"));
        Directory.Move(directory, trash);
        TryDeleteDirectory(trash);
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left for RemoveLeftovers at the next start: it is hidden from listings already.
        }
    }

    private static void TryDeleteEmptyDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Someone staged a new version meanwhile: the folder is in use again.
        }
    }

    /// <summary>Trash from interrupted deletes, and staging folders that an interrupted registration left behind long ago.</summary>
    private void RemoveLeftovers()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var directory in Subdirectories(Root).SelectMany(d => Subdirectories(d).Append(d)).ToList())
        {
            var folder = Path.GetFileName(directory);
            var stale = folder.StartsWith(StagingPrefix, StringComparison.Ordinal) && now - Directory.GetLastWriteTimeUtc(directory) > StaleStaging;
            if (folder.StartsWith(TrashPrefix, StringComparison.Ordinal) || stale)
            {
                TryDeleteDirectory(directory);
            }
        }
    }
}
