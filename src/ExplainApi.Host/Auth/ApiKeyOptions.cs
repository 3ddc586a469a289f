using System.ComponentModel.DataAnnotations;

namespace ExplainApi.Host.Auth;

/// <summary>The "ExplainApi:Auth" section. Keys are stored as SHA-256 hashes, never in clear.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ExplainApi:Auth";

    /// <summary>The environment variable whose value is added as one key with every scope.</summary>
    public const string EnvironmentVariable = "EXPLAINAPI_API_KEY";

    public IList<ApiKeyEntry> Keys { get; } = [];

    /// <summary>
    /// When no key is configured at all, generate one with every scope into
    /// {DataDirectory}/bootstrap-api-key (mode 0600) so that a first start is usable and never open.
    /// </summary>
    public bool GenerateBootstrapKey { get; set; } = true;

    /// <summary>Unknown keys one client address may present per minute; beyond, its keys are refused 429 before they are checked.</summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerMinute { get; set; } = 10;
}

public sealed class ApiKeyEntry
{
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes (`ExplainApi.Host hash-api-key KEY` prints it).</summary>
    [Required]
    [RegularExpression("^[0-9a-fA-F]{64}$")]
    public string Sha256 { get; set; } = "";

    public IList<string> Scopes { get; } = [];
}
