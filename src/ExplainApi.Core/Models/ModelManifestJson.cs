using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>The manifest in <paramref name="path"/>, or null when it is missing, unreadable, not a manifest or inconsistent.</summary>
    public static ModelManifest? TryRead(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Schema 1 or 2 from UTF-8 JSON, or null when it is not a consistent manifest.</summary>
    public static ModelManifest? Parse(byte[] json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node)
            {
                return null;
            }

            var manifest = (node["schemaVersion"]?.GetValue<int>() ?? 1) == 1 ? UpgradeSchema1(node) : node;
            return manifest.Deserialize<ModelManifest>(Options) is { Name: not null, Input: not null, Files: not null } read && read.Inconsistency() is null
                ? read
                : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Schema 1 was a classifier with one model.onnx and its class names and target layers at the top.</summary>
    private static JsonObject UpgradeSchema1(JsonObject node)
    {
        var upgraded = (JsonObject)node.DeepClone();
        upgraded["task"] = ModelTasks.Name(ModelTask.Classification);
        upgraded["graphs"] = new JsonArray(new JsonObject { ["role"] = ModelGraph.ClassifierRole, ["file"] = ModelManifest.OnnxFileName });
        upgraded["classification"] = new JsonObject
        {
            ["classNames"] = upgraded["classNames"]?.DeepClone() ?? new JsonArray(),
            ["targetLayers"] = upgraded["targetLayers"]?.DeepClone() ?? new JsonArray(),
        };
        upgraded.Remove("classNames");
        upgraded.Remove("targetLayers");
        upgraded["schemaVersion"] = 1;
        return upgraded;
    }
}
