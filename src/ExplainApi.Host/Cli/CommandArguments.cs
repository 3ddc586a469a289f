using System.Text.Json.Nodes;

namespace ExplainApi.Host.Cli;

/// <summary>The `--name value` pairs of a job command (`--options` a JSON object); every other argument goes to the host builder.</summary>
public static class CommandArguments
{
    /// <returns>False with <paramref name="problem"/> null when a required name is missing (print the usage), or with the reason.</returns>
    public static bool TryParse(string[] args, IReadOnlyList<string> names, IReadOnlyList<string> required, out Dictionary<string, string> values,
        out JsonObject? options, out string[] rest, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(required);
        values = [];
        var others = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && names.Contains(args[i][2..]) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                others.Add(args[i]);
            }
        }

        rest = [.. others];
        options = null;
        problem = null;
        try
        {
            options = values.TryGetValue("options", out var json) ? JsonNode.Parse(json)?.AsObject() : null;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            problem = "--options is not a JSON object: " + exception.Message;
            return false;
        }

        return required.All(values.ContainsKey);
    }
}
