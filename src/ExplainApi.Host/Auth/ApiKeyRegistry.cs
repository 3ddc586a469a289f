using System.Security.Cryptography;
using System.Text;

namespace ExplainApi.Host.Auth;

public sealed record ApiKeyIdentity(string Name, IReadOnlySet<string> Scopes);

/// <summary>
/// The known keys, by hash. Keys are long random strings, so an unsalted SHA-256 is the right hash: a
/// slow password hash would only add latency to every request. The comparison is constant-time.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly List<(byte[] Hash, ApiKeyIdentity Identity)> _keys = [];

    public int Count => _keys.Count;

    public void Add(string sha256Hex, string name, IEnumerable<string> scopes)
    {
        var unknown = scopes.Where(s => !Auth.Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"API key '{name}' names unknown scopes: {string.Join(", ", unknown)}. Known: {string.Join(", ", Auth.Scopes.All)}.");
        }

        _keys.Add((Convert.FromHexString(sha256Hex), new ApiKeyIdentity(name, scopes.ToHashSet(StringComparer.Ordinal))));
    }

    public ApiKeyIdentity? Find(string presentedKey)
    {
        var hash = Hash(presentedKey);
        ApiKeyIdentity? match = null;
        foreach (var (known, identity) in _keys)
        {
            // Visit every entry so that timing says nothing about which key (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                match ??= identity;
            }
        }

        return match;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>A new key: 32 random bytes, base64url, prefixed so that secret scanners recognise it.</summary>
    public static string NewKey() => "xai_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
