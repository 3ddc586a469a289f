using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Explaining.Admission;

public static class AdmissionExtensions
{
    /// <summary>Binds and validates (on start) <see cref="ExplainOptions"/> and registers the one <see cref="ExplainAdmission"/>.</summary>
    public static IHostApplicationBuilder AddExplainAdmission(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExplainOptions>()
            .Bind(builder.Configuration.GetSection(ExplainOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ExplainAdmission(sp.GetRequiredService<IOptions<ExplainOptions>>()));
        builder.Services.AddKeyedSingleton(AdmittedExplanation.DeadlineClock, TimeProvider.System);
        builder.Services.AddSingleton<AdmittedExplanation>();
        return builder;
    }
}
