using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Saliency.Evaluation;

/// <summary>One method and how many of the evaluation images it gets (the expensive ones may get fewer).</summary>
public sealed record EvaluationMethodPlan(Explaining.ISaliencyMethod Method, int Images);

/// <summary>What was evaluated, echoed into the table: model (and version), dataset reference and the subset's name (e.g. "test split").</summary>
public sealed record EvaluationSubject(string Model, int? ModelVersion, string Dataset, string Subset);

/// <summary>
/// One method's scores, each a <see cref="MetricSummary"/> over images (mean ± population std). Pointing game: hit rate
/// (tolerance <see cref="SaliencyEvaluationTable.PointingTolerance"/> px); energy: share of the min–max normalised map
/// inside the mask; NCC of the raw map with the mask, signed and absolute; deletion (lower is better) and insertion
/// (higher is better) AUC of softmax_c. <see cref="Unsupported"/> says why a method could not run on this model.
/// </summary>
public sealed record MethodEvaluation(
    string Method,
    int Images,
    bool SignedMap,
    MetricSummary PointingGame,
    MetricSummary EnergyPointingGame,
    MetricSummary NccSigned,
    MetricSummary NccAbsolute,
    MetricSummary DeletionAuc,
    MetricSummary InsertionAuc,
    double SecondsPerImage,
    string? Unsupported = null);

/// <summary>
/// The result of <see cref="SaliencyEvaluator"/>: per method, the metrics on images whose ground-truth mask is not empty,
/// explained for their true class. <see cref="CandidateImages"/> is how many such images the subset had.
/// </summary>
public sealed record SaliencyEvaluationTable(
    EvaluationSubject Subject,
    int CandidateImages,
    int PointingTolerance,
    int DeletionSteps,
    float DeletionBaseline,
    double ModelAccuracy,
    IReadOnlyList<MethodEvaluation> Methods)
{
    public const int SchemaVersion = 1;
}
