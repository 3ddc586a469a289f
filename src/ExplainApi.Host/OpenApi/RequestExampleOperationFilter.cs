using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>An example JSON request body, shown pre-filled in Swagger UI.</summary>
public sealed record RequestExampleMetadata(string Json);

/// <summary>Copies <see cref="RequestExampleMetadata"/> into the operation's application/json request body.</summary>
public sealed class RequestExampleOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExampleMetadata>().FirstOrDefault() is { } example
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true && json is OpenApiMediaType media)
        {
            media.Example = JsonNode.Parse(example.Json);
        }
    }
}
