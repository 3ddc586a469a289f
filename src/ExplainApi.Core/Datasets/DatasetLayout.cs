using System.IO.Compression;

namespace ExplainApi.Core.Datasets;

/// <summary>A file the importer did not take, and why.</summary>
public sealed record RejectedFile(string File, string Reason);

/// <summary>An image to import: its entry, its class, and its mask entry (labels.csv only; null = no region).</summary>
public sealed record PlannedSample(ZipArchiveEntry Entry, string ClassName, ZipArchiveEntry? Mask);

/// <summary>What an archive holds before any image is decoded.</summary>
public sealed record DatasetPlan(string Layout, IReadOnlyList<PlannedSample> Samples, IReadOnlyList<RejectedFile> Rejected, bool HasMasks);

/// <summary>
/// Reads the archive's layout: a <c>labels.csv</c> at the top (or in the one top folder) wins;
/// otherwise class folders <c>&lt;class&gt;/&lt;file&gt;</c>, optionally all inside one top folder.
/// Hidden files, files outside the layout and nested archives are rejected with their reason.
/// </summary>
public static class DatasetLayout
{
    public const string ClassFolders = "class-folders";
    public const string LabelsFile = "labels-csv";

    public static DatasetPlan Plan(IReadOnlyList<ZipArchiveEntry> files, Func<ZipArchiveEntry, byte[]> read)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(read);
        var rejected = new List<RejectedFile>();
        var candidates = new List<ZipArchiveEntry>();
        foreach (var entry in files.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            if (ArchivePaths.IsHiddenOrSystem(entry.FullName))
            {
                rejected.Add(new(entry.FullName, "Hidden or system file; ignored."));
            }
            else
            {
                candidates.Add(entry);
            }
        }

        var top = TopFolder(candidates);
        var csv = candidates.FirstOrDefault(e => e.FullName == LabelsCsv.FileName)
            ?? candidates.FirstOrDefault(e => top is not null && e.FullName == top + LabelsCsv.FileName);
        var plan = csv is null
            ? FromFolders(candidates, candidates.Any(e => e.FullName.Count(c => c == '/') >= 2) ? top : null, rejected)
            : FromCsv(candidates, csv, read, rejected);
        if (plan.Samples.Count == 0 && rejected.Any(r => ArchivePaths.IsArchiveName(r.File)))
        {
            throw new DatasetImportException(DatasetImportError.Unusable,
                $"The archive holds nested archives ({string.Join(", ", rejected.Where(r => ArchivePaths.IsArchiveName(r.File)).Take(3).Select(r => r.File))}) " +
                "and no images; upload one zip whose entries are the images themselves.");
        }

        return plan;
    }

    public const string NestedArchive = "A nested archive; upload one flat zip of images.";

    private static DatasetPlan FromFolders(List<ZipArchiveEntry> candidates, string? top, List<RejectedFile> rejected)
    {
        var samples = new List<PlannedSample>();
        foreach (var entry in candidates)
        {
            var segments = entry.FullName[(top?.Length ?? 0)..].Split('/');
            if (segments.Length != 2)
            {
                rejected.Add(new(entry.FullName, segments.Length == 1
                    ? "Not inside a class folder; expected <class>/<file>."
                    : "More than one folder deep; expected <class>/<file>."));
                continue;
            }

            if (ClassOrder.NameProblem(segments[0]) is { } problem)
            {
                throw new DatasetImportException(DatasetImportError.Malformed, $"Class folder '{ArchivePaths.Printable(segments[0])}' {problem}.");
            }

            if (ArchivePaths.IsArchiveName(entry.FullName))
            {
                rejected.Add(new(entry.FullName, NestedArchive));
                continue;
            }

            samples.Add(new PlannedSample(entry, segments[0], null));
        }

        return new DatasetPlan(ClassFolders, samples, rejected, HasMasks: false);
    }

    private static DatasetPlan FromCsv(List<ZipArchiveEntry> candidates, ZipArchiveEntry csv, Func<ZipArchiveEntry, byte[]> read, List<RejectedFile> rejected)
    {
        var root = csv.FullName[..^LabelsCsv.FileName.Length];
        var byName = candidates.ToDictionary(e => e.FullName, StringComparer.Ordinal);
        var (rows, hasMasks) = LabelsCsv.Parse(read(csv));
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var masks = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<PlannedSample>();
        foreach (var row in rows)
        {
            var entry = Find(byName, root, row.File, row.Line);
            if (!firstLine.TryAdd(entry.FullName, row.Line))
            {
                throw new DatasetImportException(DatasetImportError.Malformed,
                    $"labels.csv lines {firstLine[entry.FullName]} and {row.Line} both name '{ArchivePaths.Printable(row.File)}'.");
            }

            var mask = row.Mask is null ? null : Find(byName, root, row.Mask, row.Line);
            if (mask is not null)
            {
                masks.Add(mask.FullName);
            }

            if (ArchivePaths.IsArchiveName(entry.FullName))
            {
                rejected.Add(new(entry.FullName, NestedArchive));
                continue;
            }

            samples.Add(new PlannedSample(entry, row.Label, mask));
        }

        rejected.AddRange(candidates
            .Where(e => e != csv && !firstLine.ContainsKey(e.FullName) && !masks.Contains(e.FullName))
            .Select(e => new RejectedFile(e.FullName, "Not listed in labels.csv.")));
        return new DatasetPlan(LabelsFile, samples, rejected, hasMasks);
    }

    private static ZipArchiveEntry Find(Dictionary<string, ZipArchiveEntry> byName, string root, string file, int line) =>
        byName.TryGetValue(root + file, out var entry)
            ? entry
            : throw new DatasetImportException(DatasetImportError.Malformed,
                $"labels.csv line {line} names '{ArchivePaths.Printable(file)}', which is not in the archive{(root.Length > 0 ? $" (looked for '{ArchivePaths.Printable(root + file)}')" : "")}.");

    // The first folder every candidate lies in, when there is exactly one.
    private static string? TopFolder(List<ZipArchiveEntry> candidates)
    {
        if (candidates.Count == 0 || candidates.Any(e => !e.FullName.Contains('/', StringComparison.Ordinal)))
        {
            return null;
        }

        var first = candidates[0].FullName.Split('/')[0] + "/";
        return candidates.All(e => e.FullName.StartsWith(first, StringComparison.Ordinal)) ? first : null;
    }
}
