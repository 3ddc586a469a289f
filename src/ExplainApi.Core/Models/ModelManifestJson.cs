using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExplainApi.Core.Models;

/// <summary>How manifest.json is written and read: System.Text.Json web defaults (camelCase), indented.</summary>
public static class ModelManifestJson
{
    // Named floating-point literals because a metric can be undefined (NaN), e.g. an AUC on a one-class split.
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static byte[] Serialize(ModelManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Options);

    /// <summary>The manifest in <paramref name="path"/>, or null when it is missing, unreadable or not a manifest.</summary>
    public static ModelManifest? TryRead(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(path), Options);
            return manifest is { Name: not null, Input: not null, Files: not null, ClassNames: not null } ? manifest : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
