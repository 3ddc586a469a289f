using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>The request's parameters and input tensor, checked.</summary>
internal sealed record KServeParameters(IReadOnlyList<string>? Methods, string? Target, bool Raw, SaliencySettingsQuery Settings, ProblemHttpResult? Problem)
{
    public ulong Seed => Settings.Seed ?? 0;

    public static KServeParameters From(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        if (parameters is null)
        {
            return new(null, null, false, default, null);
        }

        try
        {
            IReadOnlyList<string>? methods = parameters.TryGetValue("method", out var m)
                ? m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray().Select(e => e.GetString() ?? "")] : [m.GetString() ?? ""]
                : null;
            var target = parameters.TryGetValue("target", out var t) ? t.ValueKind == JsonValueKind.Number ? t.GetRawText() : t.GetString() : null;
            var raw = parameters.TryGetValue("raw", out var r) && r.GetBoolean();
            int? Int(string key) => parameters.TryGetValue(key, out var v) ? v.GetInt32() : null;
            var settings = new SaliencySettingsQuery(parameters.TryGetValue("seed", out var s) ? s.GetUInt64() : null,
                Int("riseMasks"), Int("smoothGradSamples"), Int("integratedGradientsSteps"), Int("occlusionPatch"),
                parameters.TryGetValue("riseScoring", out var scoring) ? scoring.GetString() : null,
                parameters.TryGetValue("scoreCamMode", out var mode) ? mode.GetString() : null, Int("scoreCamChannels"));
            return settings.Validate() is { } invalid
                ? new(null, null, false, default, ImageUploadReader.Invalid("parameters: " + invalid))
                : new(methods, target, raw, settings, null);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            return new(null, null, false, default, ImageUploadReader.Invalid(
                "parameters: method is a string or an array of strings, target a class name or an index, raw a boolean, seed a non-negative integer, riseMasks, smoothGradSamples, integratedGradientsSteps and occlusionPatch integers, riseScoring 'centered' or 'paper', scoreCamMode 'exact' or 'fast', scoreCamChannels an integer."));
        }
    }
}
