namespace ExplainApi.Host.Demo;

public static class DemoExtensions
{
    /// <summary>The first-start demo model (server only: the `train` command does not submit it). Needs AddTrainingServices.</summary>
    public static IHostApplicationBuilder AddDemoModel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<DemoModelStartup>();
        return builder;
    }
}
