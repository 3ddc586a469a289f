using System.Buffers;
using System.Security.Cryptography;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Uploaded dataset ids: <c>ds_</c> + 26 characters of lower-case RFC 4648 base32 (a–z, 2–7) drawn from
/// a cryptographic generator, i.e. 130 random bits: unguessable, and safe as a folder name.
/// </summary>
public static class DatasetIds
{
    public const string Prefix = "ds_";
    public const int RandomLength = 26;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static bool IsValid(string? id) =>
        id is { Length: 3 + RandomLength } && id.StartsWith(Prefix, StringComparison.Ordinal)
        && id.AsSpan(Prefix.Length).IndexOfAnyExcept(AlphabetValues) < 0;
}
