using Microsoft.OpenApi;

namespace ExplainApi.Host.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IHostApplicationBuilder AddOpenApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "ExplainApi",
                Version = "v1",
                Description = "Explains what medical image classifiers decide and why: saliency maps, GAN difference maps, " +
                    "refined segmentations. Authorize with an API key (Bearer or X-Api-Key) before trying a route.",
            });
            options.AddSecurityDefinition(SecurityOperationFilter.BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Authorization: Bearer <API key>",
            });
            options.AddSecurityDefinition(SecurityOperationFilter.HeaderScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SecurityOperationFilter.HeaderName,
                Description = "X-Api-Key: <API key>",
            });
            options.OperationFilter<SecurityOperationFilter>();
            options.OperationFilter<ImageUploadOperationFilter>();
            options.OperationFilter<ModelImportOperationFilter>();
            options.OperationFilter<RequestExampleOperationFilter>();
            options.OperationFilter<Datasets.DatasetUploadOperationFilter>();
            options.OperationFilter<Segmentation.RefineUploadOperationFilter>();
            options.OperationFilter<ParameterExampleOperationFilter>();
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomSchemaIds(type => type.Name);
            // ProblemDetails is referenced by filters even when no handler names it.
            options.DocumentFilter<ProblemDetailsSchemaFilter>();
        });
        return builder;
    }

    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "ExplainApi v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "ExplainApi";
            options.DisplayRequestDuration();
            options.EnableTryItOutByDefault();
        });
        return app;
    }
}
