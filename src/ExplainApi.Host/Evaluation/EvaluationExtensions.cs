namespace ExplainApi.Host.Evaluation;

public static class EvaluationExtensions
{
    /// <summary>The evaluate job kind's validator, model source and runner (the JobExecutor runs it). Needs the job store and registry.</summary>
    public static IHostApplicationBuilder AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EvaluationRequestValidator>();
        builder.Services.AddSingleton<ExplainableModelSource>();
        builder.Services.AddSingleton<EvaluationJob>();
        return builder;
    }
}
