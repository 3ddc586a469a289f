using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.DifferenceMaps;

public static class DifferenceMapJobsExtensions
{
    /// <summary>The difference-summary job kind and the evaluation of difference-map models (the evaluate kind picks it by task).</summary>
    public static IHostApplicationBuilder AddDifferenceMapJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DifferenceSummaryJob>();
        builder.Services.AddSingleton<IJobHandler, DifferenceSummaryJobHandler>();
        builder.Services.AddSingleton<IModelEvaluation, DifferenceMapEvaluationJob>();
        return builder;
    }
}
