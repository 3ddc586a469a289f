
namespace ExplainApi.Host.Jobs;

public static class JobsExtensions
{
    /// <summary>The job store, runner and handlers. Trainers (ITrainer) and other kinds (IJobHandler) are registered as singletons elsewhere.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobSignals>();
        builder.Services.AddSingleton<JobHandlers>();
        builder.Services.AddSingleton<JobRequestValidator>();
        builder.Services.AddSingleton<JobExecutor>();
        builder.Services.AddHostedService<JobRunner>();

        // Jobs shut down by checkpointing: give trainers time to finish their step and write it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }
}
