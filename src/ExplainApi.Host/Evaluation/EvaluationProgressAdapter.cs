using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Evaluation;

/// <summary>Evaluation progress as job progress; synchronous (Progress&lt;T&gt; would post to the thread pool and reorder reports).</summary>
public sealed class EvaluationProgressAdapter(IProgress<TrainingProgress> progress, string phase = "evaluating") : IProgress<EvaluationProgress>
{
    public void Report(EvaluationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        progress.Report(new TrainingProgress(phase, 1, 1, value.Image, value.Images, new Dictionary<string, double>(), new Dictionary<string, double>()));
    }
}
