using System.Globalization;
using System.Text;

namespace ExplainApi.Host.Errors;

/// <summary>
/// Client text put back into a problem document (a query value, a header, a name, a parser's message): bounded, so
/// 5 MB in is not 5 MB out, and with control characters replaced, so it cannot forge lines in a client's log.
/// </summary>
public static class Echo
{
    /// <summary>Enough to recognise a value; longer ones are cut and say how long they were.</summary>
    public const int MaxValueLength = 100;

    /// <summary>Parser and validation messages: they carry context worth keeping.</summary>
    public const int MaxMessageLength = 500;

    /// <summary>A submitted value (e.g. "Unknown render '{Echo.Value(render)}'").</summary>
    public static string Value(string? value) => Cap(value, MaxValueLength);

    /// <summary>A message that may quote client text (e.g. a JSON or multipart parser's).</summary>
    public static string Message(string? message) => Cap(message, MaxMessageLength);

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, then "…(N chars)".</summary>
    public static string Cap(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var keep = Math.Min(text.Length, max);
        if (keep < text.Length && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--; // never cut a character in half
        }

        var builder = new StringBuilder(keep + 24);
        foreach (var c in text.AsSpan(0, keep))
        {
            builder.Append(char.IsControl(c) ? '\uFFFD' : c);
        }

        return keep == text.Length
            ? builder.ToString()
            : builder.Append(CultureInfo.InvariantCulture, $"…({text.Length} chars)").ToString();
    }
}
