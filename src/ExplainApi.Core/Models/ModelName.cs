using System.Text.RegularExpressions;

namespace ExplainApi.Core.Models;

/// <summary>The names a model may be registered under: they become folder names and URL segments.</summary>
public static partial class ModelName
{
    public const string Rule = "A model name is 1–64 characters of lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <exception cref="ArgumentException">The name breaks <see cref="Rule"/>.</exception>
    public static void ThrowIfInvalid(string? name, string parameterName = "name")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid model name. {Rule}", parameterName);
        }
    }

    // Starting with a letter or digit also keeps names apart from the registry's own ".staging-" and ".trash-" folders.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
