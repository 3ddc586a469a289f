using System.Text.Json.Nodes;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>A <see cref="DifferenceMapEvaluationTable"/> as JSON: metrics as <c>{mean, std, count}</c> like <see cref="EvaluationJson"/>, which writes the saliency part.</summary>
public static class DifferenceMapEvaluationJson
{
    public static string Write(DifferenceMapEvaluationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var s = table.Subject;
        return new JsonObject
        {
            ["schemaVersion"] = DifferenceMapEvaluationTable.SchemaVersion,
            ["task"] = "difference-map",
            ["model"] = s.Model,
            ["modelVersion"] = s.ModelVersion,
            ["method"] = table.Method,
            ["dataset"] = s.Dataset,
            ["subset"] = s.Subset,
            ["classifier"] = table.Classifier is { } c ? new JsonObject { ["name"] = c.Name, ["version"] = c.Version } : null,
            ["directions"] = new JsonArray([.. table.Directions.Select(Row)]),
            ["saliency"] = table.Saliency is null ? null : EvaluationJson.ToJson(table.Saliency),
        }.ToJsonString(EvaluationJson.Indented);
    }

    private static JsonObject Row(DifferenceMapScores d) => new()
    {
        ["direction"] = d.Direction,
        ["fromClass"] = d.FromClass,
        ["toClass"] = d.ToClass,
        ["images"] = d.Images,
        ["nccSigned"] = EvaluationJson.Summary(d.NccSigned),
        ["nccAbsolute"] = EvaluationJson.Summary(d.NccAbsolute),
        ["subtypes"] = new JsonArray([.. d.Subtypes.Select(t => new JsonObject
        {
            ["subtype"] = t.Subtype, ["nccSigned"] = EvaluationJson.Summary(t.NccSigned), ["nccAbsolute"] = EvaluationJson.Summary(t.NccAbsolute),
        })]),
        ["flipRate"] = EvaluationJson.Finite(d.FlipRate),
        ["meanAbsoluteMap"] = EvaluationJson.Summary(d.MeanAbsoluteMap),
        ["energyInside"] = EvaluationJson.Summary(d.EnergyInside),
        ["secondsPerImage"] = EvaluationJson.Finite(d.SecondsPerImage),
    };
}
