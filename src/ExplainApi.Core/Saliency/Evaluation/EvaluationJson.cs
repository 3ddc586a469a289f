using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Saliency.Evaluation;

/// <summary>
/// A <see cref="SaliencyEvaluationTable"/> as JSON (camelCase, schema version <see cref="SaliencyEvaluationTable.SchemaVersion"/>):
/// every metric is <c>{mean, std, count}</c>; a value that is not finite (no images) is null.
/// </summary>
public static class EvaluationJson
{
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToJson(SaliencyEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var s = table.Subject;
        return new JsonObject
        {
            ["schemaVersion"] = SaliencyEvaluationTable.SchemaVersion,
            ["model"] = s.Model,
            ["modelVersion"] = s.ModelVersion,
            ["dataset"] = s.Dataset,
            ["subset"] = s.Subset,
            ["candidateImages"] = table.CandidateImages,
            ["modelAccuracy"] = Finite(table.ModelAccuracy),
            ["pointingTolerance"] = table.PointingTolerance,
            ["deletionSteps"] = table.DeletionSteps,
            ["deletionBaseline"] = table.DeletionBaseline,
            ["methods"] = new JsonArray([.. table.Methods.Select(Row)]),
        };
    }

    public static string Write(SaliencyEvaluationTable table) => ToJson(table).ToJsonString(Indented);

    private static JsonObject Row(MethodEvaluation row) => new()
    {
        ["method"] = row.Method,
        ["images"] = row.Images,
        ["signedMap"] = row.SignedMap,
        ["unsupported"] = row.Unsupported,
        ["pointingGame"] = Summary(row.PointingGame),
        ["energyPointingGame"] = Summary(row.EnergyPointingGame),
        ["nccSigned"] = Summary(row.NccSigned),
        ["nccAbsolute"] = Summary(row.NccAbsolute),
        ["deletionAuc"] = Summary(row.DeletionAuc),
        ["insertionAuc"] = Summary(row.InsertionAuc),
        ["secondsPerImage"] = Finite(row.SecondsPerImage),
    };

    internal static JsonObject Summary(MetricSummary m) => new() { ["mean"] = Finite(m.Mean), ["std"] = Finite(m.StandardDeviation), ["count"] = m.Count };

    internal static JsonValue? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
