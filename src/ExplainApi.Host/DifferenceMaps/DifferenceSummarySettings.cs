using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// The completed options of a difference-summary job: the model version, the direction, the part of the dataset's
/// standard split, at most how many of its source-class images (in index order) and, pinned to a version, the classifier
/// that judges the translations when the options name one instead of the model's link (an independent judge, as the
/// brain-age study's own classifier).
/// </summary>
public sealed record DifferenceSummarySettings(int Version, string Direction, string Split, int SplitSeed, int Images, LinkedModel? Classifier = null)
{
    public const int DefaultImages = 10_000, MaxImages = 100_000;

    public JsonObject ToJson() => new()
    {
        ["version"] = Version, ["direction"] = Direction, ["split"] = Split, ["splitSeed"] = SplitSeed, ["images"] = Images,
        ["classifier"] = Classifier is { } c ? new JsonObject { ["name"] = c.Name, ["version"] = c.Version } : null,
    };

    public static DifferenceSummarySettings FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new(json["version"]!.GetValue<int>(), json["direction"]!.GetValue<string>(), json["split"]!.GetValue<string>(),
            json["splitSeed"]!.GetValue<int>(), json["images"]!.GetValue<int>(),
            json["classifier"] is JsonObject c ? new LinkedModel(c["name"]!.GetValue<string>(), c["version"]!.GetValue<int>()) : null);
    }

    /// <summary>
    /// The options completed for <paramref name="manifest"/> (its version; its first direction by default), or errors by
    /// field; a classifier the options name comes out in <paramref name="named"/> (version null: the latest), for the caller to check and pin.
    /// </summary>
    public static DifferenceSummarySettings? Parse(JsonObject? options, ModelManifest manifest, Dictionary<string, string> errors, out (string Name, int? Version)? named)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(errors);
        var directions = manifest.DifferenceMap?.Directions.Select(d => d.Name).ToList() ?? [];
        var (direction, split, seed, images) = (directions.FirstOrDefault() ?? "", "test", 1, DefaultImages);
        var (classifier, classifierVersion) = ((string?)null, (int?)null);
        foreach (var (key, value) in options ?? [])
        {
            var text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
            var number = value?.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out var n) ? n : (int?)null;
            switch (key)
            {
                case "version" when number == manifest.Version:
                    break;
                case "direction" when text is not null && directions.Contains(text):
                    direction = text;
                    break;
                case "split" when text is not null && DatasetSplits.Names.Contains(text):
                    split = text;
                    break;
                case "splitSeed" when number is >= 0:
                    seed = number.Value;
                    break;
                case "images" when number is >= 1 and <= MaxImages:
                    images = number.Value;
                    break;
                case "classifier" when text is not null && ModelName.IsValid(text):
                    classifier = text;
                    break;
                case "classifierVersion" when number is >= 1:
                    classifierVersion = number.Value;
                    break;
                default:
                    errors[key] = key switch
                    {
                        "version" => "The model version (the request's model is resolved before its options).",
                        "direction" => $"One of the model's directions: {string.Join(", ", directions)}.",
                        "split" => $"One of: {string.Join(", ", DatasetSplits.Names)}.",
                        "splitSeed" => "A whole number ≥ 0.",
                        "images" => $"From 1 to {MaxImages}.",
                        "classifier" => "The name of a registered classifier to judge the translations instead of the model's linked one.",
                        "classifierVersion" => "A version ≥ 1 of the named classifier (default its latest).",
                        _ => "Unknown option; known: version, direction, split, splitSeed, images, classifier, classifierVersion.",
                    };
                    break;
            }
        }

        if (classifier is null && classifierVersion is not null)
        {
            errors["classifierVersion"] = "Only with option classifier (the linked classifier's version is the model's).";
        }

        named = classifier is null ? null : (classifier, classifierVersion);
        return errors.Count > 0 ? null : new DifferenceSummarySettings(manifest.Version, direction, split, seed, images);
    }

    public string SubsetDescription => Split == "all" ? "all images" : $"{Split} split (stratified 80/20 twice, seed {SplitSeed})";
}
