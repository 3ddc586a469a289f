using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>An example value for a query parameter, shown pre-filled in Swagger UI.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class ParameterExampleAttribute(string example) : Attribute
{
    public string Example { get; } = example;
}

/// <summary>Copies <see cref="ParameterExampleAttribute"/> values into the document.</summary>
public sealed class ParameterExampleOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var description in context.ApiDescription.ParameterDescriptions)
        {
            var example = description.PropertyInfo()?.GetCustomAttributes(typeof(ParameterExampleAttribute), false)
                .OfType<ParameterExampleAttribute>().FirstOrDefault()
                ?? description.ParameterInfo()?.GetCustomAttributes(typeof(ParameterExampleAttribute), false)
                .OfType<ParameterExampleAttribute>().FirstOrDefault();
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == description.Name);
            if (example is not null && parameter is not null)
            {
                parameter.Example = ParseExample(example.Example);
            }
        }
    }

    /// <summary>Numbers and booleans as JSON values, anything else as a string.</summary>
    private static JsonValue ParseExample(string example)
    {
        try
        {
            return JsonNode.Parse(example) is JsonValue value ? value : JsonValue.Create(example);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(example);
        }
    }
}
