namespace ExplainApi.Host.Demo;

public static class DemoExtensions
{
    /// <summary>The first-start demo models (server only: the `train` command does not submit it). Needs AddTrainingServices.</summary>
    public static IHostApplicationBuilder AddDemoModel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DemoJobSubmitter>();
        builder.Services.AddHostedService<DemoModelStartup>();
        builder.Services.AddHostedService<DemoDifferenceMapStartup>();
        return builder;
    }
}
