using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// The evaluation of a difference-map model: one row per direction with ground truth, and the saliency methods of its
/// linked classifier on the same images (<see cref="SaliencyEvaluator"/>), so maps and saliency compare side by side.
/// </summary>
public sealed record DifferenceMapEvaluationTable(
    EvaluationSubject Subject, string Method, LinkedModel? Classifier, IReadOnlyList<DifferenceMapScores> Directions, SaliencyEvaluationTable? Saliency)
{
    public const int SchemaVersion = 1;
}
