using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Evaluation;

public static class EvaluationExtensions
{
    /// <summary>
    /// The evaluate job kind: its validator, its handler and the evaluation of each task; and the registered classifiers as
    /// trainers see them (<see cref="IExplainableModelProvider"/>). Needs the job store and registry.
    /// </summary>
    public static IHostApplicationBuilder AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EvaluationRequestValidator>();
        builder.Services.AddSingleton<ExplainableModelSource>();
        builder.Services.AddSingleton<IExplainableModelProvider, RegisteredExplainableModels>();
        builder.Services.AddSingleton<EvaluationJob>();
        builder.Services.AddSingleton<IModelEvaluation>(s => s.GetRequiredService<EvaluationJob>());
        builder.Services.AddSingleton<IModelEvaluation, SegmentationEvaluationJob>();
        builder.Services.AddSingleton<ModelEvaluations>();
        builder.Services.AddSingleton<IJobHandler, EvaluateJobHandler>();
        return builder;
    }
}
