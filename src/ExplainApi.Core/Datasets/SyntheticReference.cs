namespace ExplainApi.Core.Datasets;

/// <summary>
/// A parsed <c>synthetic:NAME?key=value&amp;key=value</c> reference. Parsing is syntax only and strict:
/// no blanks, no empty or repeated keys, no percent-encoding; the registry then checks names and values.
/// </summary>
public sealed record SyntheticReference(string Generator, IReadOnlyList<KeyValuePair<string, string>> Arguments)
{
    public const string Scheme = "synthetic:";

    public static bool HasScheme(string reference) => reference?.StartsWith(Scheme, StringComparison.Ordinal) == true;

    /// <exception cref="DatasetReferenceException">The text is not a well-formed synthetic reference.</exception>
    public static SyntheticReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!HasScheme(reference))
        {
            throw new DatasetReferenceException($"'{reference}' does not start with '{Scheme}'.");
        }

        var body = reference[Scheme.Length..];
        var question = body.IndexOf('?', StringComparison.Ordinal);
        var name = question < 0 ? body : body[..question];
        if (!IsToken(name))
        {
            throw new DatasetReferenceException(
                $"'{reference}': the generator name must be lower-case letters, digits and '-', e.g. synthetic:squares?n=2000&seed=1.");
        }

        var arguments = new List<KeyValuePair<string, string>>();
        if (question < 0)
        {
            return new SyntheticReference(name, arguments);
        }

        var query = body[(question + 1)..];
        if (query.Length == 0)
        {
            throw new DatasetReferenceException($"'{reference}': nothing follows '?'; drop it or add key=value parameters.");
        }

        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1 || pair.IndexOf('=', equals + 1) >= 0)
            {
                throw new DatasetReferenceException($"'{reference}': parameter '{pair}' is not key=value.");
            }

            var (key, value) = (pair[..equals], pair[(equals + 1)..]);
            if (!IsToken(key))
            {
                throw new DatasetReferenceException($"'{reference}': parameter name '{key}' must be lower-case letters, digits and '-'.");
            }

            if (arguments.Any(a => a.Key == key))
            {
                throw new DatasetReferenceException($"'{reference}': parameter '{key}' is given twice.");
            }

            arguments.Add(new(key, value));
        }

        return new SyntheticReference(name, arguments);
    }

    private static bool IsToken(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
