using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>Makes sure the ProblemDetails schema exists for the error responses the filters add.</summary>
public sealed class ProblemDetailsSchemaFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
    }
}
