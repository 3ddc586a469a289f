using System.Globalization;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Class names of uploaded datasets (folder names or labels.csv labels) and the order that makes them
/// labels 0…K−1: numeric when every name is an integer ("0", "1", "10"), ordinal otherwise.
/// </summary>
public static class ClassOrder
{
    public const int MaxNameLength = 64;

    /// <summary>Why <paramref name="name"/> cannot be a class name, or null.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is longer than {MaxNameLength} characters";
        }

        if (name.Any(char.IsControl))
        {
            return "contains a control character";
        }

        return name.Trim().Length != name.Length ? "starts or ends with white space" : null;
    }

    public static IReadOnlyList<string> Sort(IEnumerable<string> names)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var numeric = distinct.All(n => n.All(char.IsAsciiDigit) && n.Length <= 9);
        return numeric
            ? [.. distinct.OrderBy(n => int.Parse(n, CultureInfo.InvariantCulture)).ThenBy(n => n, StringComparer.Ordinal)]
            : [.. distinct.Order(StringComparer.Ordinal)];
    }
}
