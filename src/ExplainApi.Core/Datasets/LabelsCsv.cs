using System.Text;

namespace ExplainApi.Core.Datasets;

/// <summary>One data row of labels.csv; <see cref="Line"/> is 1-based, counting the header.</summary>
public sealed record LabelsCsvRow(int Line, string File, string Label, string? Mask);

/// <summary>
/// labels.csv: a header <c>file,label</c> or <c>file,label,mask</c>, then one row per image. Fields may
/// be quoted (RFC 4180, "" for a quote; no line breaks inside). Blank lines are skipped; every other
/// problem is an error naming its line, because a silently mislabelled dataset is worse than none.
/// </summary>
public static class LabelsCsv
{
    public const string FileName = "labels.csv";

    public static (IReadOnlyList<LabelsCsvRow> Rows, bool HasMaskColumn) Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw Error("labels.csv is not UTF-8 text.");
        }

        var lines = text.Split('\n');
        var header = Fields(lines[0].TrimEnd('\r'), 1).Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var hasMask = header.SequenceEqual(["file", "label", "mask"]);
        if (!hasMask && !header.SequenceEqual(["file", "label"]))
        {
            throw Error($"labels.csv line 1 must be the header 'file,label' or 'file,label,mask'; got '{ArchivePaths.Printable(lines[0].TrimEnd('\r'))}'.");
        }

        var rows = new List<LabelsCsvRow>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = Fields(line, i + 1).Select(f => f.Trim()).ToArray();
            if (fields.Length != header.Length)
            {
                throw Error($"labels.csv line {i + 1} has {fields.Length} fields; the header has {header.Length}.");
            }

            rows.Add(new LabelsCsvRow(i + 1, CheckPath(fields[0], i + 1, "file"), CheckLabel(fields[1], i + 1),
                hasMask && fields[2].Length > 0 ? CheckPath(fields[2], i + 1, "mask") : null));
        }

        return rows.Count == 0 ? throw Error("labels.csv has its header but no rows.") : (rows, hasMask);
    }

    private static string CheckPath(string path, int line, string column)
    {
        if (path.Length == 0)
        {
            throw Error($"labels.csv line {line}: the {column} is empty.");
        }

        return ArchivePaths.Problem(path) is { } problem
            ? throw Error($"labels.csv line {line}: {column} '{ArchivePaths.Printable(path)}' {problem}; name files relative to labels.csv with '/'.")
            : path;
    }

    private static string CheckLabel(string label, int line) => ClassOrder.NameProblem(label) is { } problem
        ? throw Error($"labels.csv line {line}: label '{ArchivePaths.Printable(label)}' {problem}.")
        : label;

    private static List<string> Fields(string line, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                continue;
            }

            if (line[i] != '"' || field.ToString().Trim().Length > 0)
            {
                field.Append(line[i]);
                continue;
            }

            // A quoted field: up to the closing quote, "" standing for one quote; then only blanks before ',' or the end.
            field.Clear();
            for (i++; ; i++)
            {
                if (i >= line.Length)
                {
                    throw Error($"labels.csv line {number}: a quoted field is not closed.");
                }

                if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (line[i] == '"')
                {
                    break;
                }
                else
                {
                    field.Append(line[i]);
                }
            }

            while (i + 1 < line.Length && line[i + 1] == ' ')
            {
                i++;
            }

            if (i + 1 < line.Length && line[i + 1] != ',')
            {
                throw Error($"labels.csv line {number}: text follows a closing quote.");
            }
        }

        return fields;
    }

    private static DatasetImportException Error(string message) => new(DatasetImportError.Malformed, message);
}
