namespace ExplainApi.Host.Segmentation;

public static class SegmentationExtensions
{
    /// <summary>Binds and validates (on start) <see cref="SegmentationOptions"/>; the route runs on the image and admission services.</summary>
    public static IHostApplicationBuilder AddSegmentationRefinement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SegmentationOptions>()
            .Bind(builder.Configuration.GetSection(SegmentationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
