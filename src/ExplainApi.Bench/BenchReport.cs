using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExplainApi.Bench;

/// <summary>Collects result tables and writes them as Markdown (for docs/) and JSON (for machines), with the machine and the command.</summary>
public sealed class BenchReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<(string Title, string Note, string[] Header, List<string[]> Rows)> tables = [];
    private readonly Dictionary<string, object> json = [];

    public void Table(string title, string note, string[] header, IEnumerable<string[]> rows, object data)
    {
        // The machine is shared: each table says how loaded it was when its measurements ended.
        var load = MachineInfo.LoadAverage();
        tables.Add((title, $"{note} Load average (1/5/15 min) at the end of this section: {load}.", header, rows.ToList()));
        json[title] = data;
    }

    public static IFormatProvider Inv => CultureInfo.InvariantCulture;

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Num(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A rate with about three significant digits, so that RISE's 0.024 images/s does not print as 0.0.</summary>
    public static string Rate(double value) => value.ToString(value >= 10 ? "0.0" : value >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    public void Write(string markdownPath, string command, string environment, string introduction, string heading = "Benchmarks")
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {heading}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Reproduce with `{command}` (writes this file and `{Path.GetFileNameWithoutExtension(markdownPath)}.json`).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {environment}.").AppendLine();
        text.AppendLine(introduction).AppendLine();
        foreach (var (title, note, header, rows) in tables)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
            text.AppendLine(note).AppendLine();

            text.AppendLine("| " + string.Join(" | ", header) + " |");
            text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
            foreach (var row in rows)
            {
                text.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            text.AppendLine();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdownPath))!);
        File.WriteAllText(markdownPath, text.ToString());
        var jsonPath = Path.ChangeExtension(markdownPath, ".json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { command, environment, measuredAt = DateTimeOffset.UtcNow, results = json }, Indented));
    }
}
