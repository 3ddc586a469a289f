using ExplainApi.Core.Datasets;
using System.Text.Json.Nodes;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// The completed options of an evaluate job, as stored in the job (<see cref="ToJson"/>) and read back by the runner.
/// Methods that cost many forward or gradient passes per image get <see cref="ExpensiveImages"/> images.
/// </summary>
public sealed record EvaluationSettings(int Version, string Split, int SplitSeed, IReadOnlyList<string> Methods, int Images, int ExpensiveImages, int Seed)
{
    public const int DefaultImages = 100, DefaultExpensiveImages = 25, MaxImages = 10_000;

    public static IReadOnlyList<string> Splits => DatasetSplits.Names;

    /// <summary>Hundreds to thousands of passes per image: Score-CAM (K), RISE (N = 2000), occlusion, SmoothGrad (n = 50), Integrated Gradients (M = 64).</summary>
    public static IReadOnlySet<string> Expensive { get; } = new HashSet<string>(StringComparer.Ordinal) { "scorecam", "rise", "occlusion", "smoothgrad", "integratedgradients" };

    public JsonObject ToJson() => new()
    {
        ["version"] = Version,
        ["split"] = Split,
        ["splitSeed"] = SplitSeed,
        ["methods"] = new JsonArray([.. Methods.Select(m => JsonValue.Create(m))]),
        ["images"] = Images,
        ["expensiveImages"] = ExpensiveImages,
        ["seed"] = Seed,
    };

    public static EvaluationSettings FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new EvaluationSettings(
            json["version"]!.GetValue<int>(), json["split"]!.GetValue<string>(), json["splitSeed"]!.GetValue<int>(),
            [.. json["methods"]!.AsArray().Select(m => m!.GetValue<string>())],
            json["images"]!.GetValue<int>(), json["expensiveImages"]!.GetValue<int>(), json["seed"]!.GetValue<int>());
    }

    public IReadOnlyList<EvaluationMethodPlan> Plans() =>
        [.. Methods.Select(name => SaliencyMethods.TryGet(name, out var method)
            ? new EvaluationMethodPlan(method, Expensive.Contains(method.Name) ? ExpensiveImages : Images)
            : throw new InvalidOperationException($"Unknown saliency method '{name}'."))];

    /// <summary>The indices of <see cref="Split"/>: a part of the stratified standard split (<see cref="DatasetSplits.Standard"/>) or every image.</summary>
    public IReadOnlyList<int> Subset(IDataset dataset) => DatasetSplits.Named(dataset, Split, SplitSeed);

    /// <summary>"test split (DatasetSplits.Standard, seed 1)", for the table.</summary>
    public string SubsetDescription => Split == "all" ? "all images" : $"{Split} split (stratified 80/20 twice, seed {SplitSeed})";
}
