using System.Security.Cryptography;
using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Models;

/// <summary>
/// SHA-256 of the files of a model version (lower-case hex, as in <see cref="ModelManifest.Files"/>).
/// Registration hashes while it copies; loading re-hashes, so a corrupted or swapped file is caught
/// before it is served.
/// </summary>
public static class ModelFileHashes
{
    private const int BufferSize = 1 << 20;

    /// <summary>Copies <paramref name="source"/> to a new <paramref name="destination"/> (flushed to disk) and returns the SHA-256 of the bytes copied.</summary>
    public static async Task<string> CopyAsync(string source, string destination, IStorageFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true))
        await using (var output = files.CreateNew(destination, useAsync: true))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            DiskFiles.FlushToDisk(output);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Compute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Every file of <paramref name="manifest"/> re-hashed in <paramref name="directory"/>; one message per
    /// missing or changed file (empty when all match). Every graph file must be listed.
    /// </summary>
    public static IReadOnlyList<string> Verify(ModelManifest manifest, string directory)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        foreach (var graph in manifest.Graphs.Where(g => !manifest.Files.ContainsKey(g.File)))
        {
            problems.Add($"{graph.File}: not listed in the manifest");
        }

        foreach (var (file, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, file);
            if (Path.GetFileName(file) != file || !File.Exists(path))
            {
                problems.Add($"{file}: missing");
                continue;
            }

            var actual = Compute(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{file}: SHA-256 is {actual}, the manifest says {expected}");
            }
        }

        return problems;
    }
}
