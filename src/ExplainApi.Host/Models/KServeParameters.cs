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
                parameters.TryGetValue("riseScoring", out var scoring) ? scoring.GetString() : null);
            return settings.Validate() is { } invalid
                ? new(null, null, false, default, ImageUploadReader.Invalid("parameters: " + invalid))
                : new(methods, target, raw, settings, null);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            return new(null, null, false, default, ImageUploadReader.Invalid(
                "parameters: method is a string or an array of strings, target a class name or an index, raw a boolean, seed a non-negative integer, riseMasks, smoothGradSamples, integratedGradientsSteps and occlusionPatch integers, riseScoring 'centered' or 'paper'."));
        }
    }

    /// <summary>The one FP32 input [N, C, H, W] split into N finite images.</summary>
    public static (IReadOnlyList<float[]>? Images, ProblemHttpResult? Problem) Inputs(KServeExplainRequest body, ModelInputSpec spec)
    {
        if (body.Inputs is not [var input])
        {
            return (null, ImageUploadReader.Invalid($"Send exactly one input tensor; got {body.Inputs?.Count ?? 0}."));
        }

        if (input.Datatype != "FP32")
        {
            return (null, ImageUploadReader.Invalid($"Input '{Echo.Value(input.Name)}' is {Echo.Value(input.Datatype)}; send FP32."));
        }

        if (input.Shape is not [var n, var c, var h, var w] || n < 1 || n > ExplainExecution.MaxImagesPerRequest || c != spec.Channels || h != spec.Height || w != spec.Width)
        {
            return (null, SaliencyProblems.ShapeMismatch(
                $"Input '{Echo.Value(input.Name)}' has shape [{string.Join(", ", input.Shape ?? [])}]; the model expects [N, {spec.Channels}, {spec.Height}, {spec.Width}] with N from 1 to {ExplainExecution.MaxImagesPerRequest}.",
                spec.Channels, spec.Height, spec.Width));
        }

        var values = new List<float>();
        if (!Flatten(input.Data, values) || values.Count != n * c * h * w || values.Exists(v => !float.IsFinite(v)))
        {
            return (null, ImageUploadReader.Invalid($"Input '{Echo.Value(input.Name)}' data must be {n * c * h * w} finite numbers (shape [{n}, {c}, {h}, {w}]); got {values.Count} values."));
        }

        var size = (int)(c * h * w);
        return ([.. Enumerable.Range(0, (int)n).Select(i => values.GetRange(i * size, size).ToArray())], null);
    }

    private static bool Flatten(JsonElement element, List<float> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                return element.EnumerateArray().All(e => Flatten(e, values));
            case JsonValueKind.Number when element.TryGetSingle(out var v):
                values.Add(v);
                return true;
            default:
                return false;
        }
    }
}
