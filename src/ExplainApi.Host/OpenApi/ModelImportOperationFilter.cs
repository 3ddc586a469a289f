using System.Text.Json.Nodes;
using ExplainApi.Host.Models;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>Marks the model import endpoint, whose multipart body the handler reads itself.</summary>
public sealed class ModelImportMetadata;

/// <summary>Describes the import body: the .onnx file and the JSON spec (with an example), so Swagger UI offers both fields.</summary>
public sealed class ModelImportOperationFilter : IOperationFilter
{
    private const string SpecExample = """
        {"name":"my-classifier","input":{"channels":1,"height":112,"width":112,"name":"input","allowResize":false,"normalization":"window-standardize","mean":[0.5],"std":[0.5]},"classNames":["healthy","lesion"],"targetTensor":"layer4.relu"}
        """;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ModelImportMetadata>().Any())
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The classifier as ONNX (float32 input [N, C, H, W], logits output named 'logits' or first) and its spec.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { ModelImportEndpoints.ModelField, ModelImportEndpoints.SpecField },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [ModelImportEndpoints.ModelField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The .onnx file." },
                            [ModelImportEndpoints.SpecField] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Description = "JSON: name, input {channels, height, width, name, allowResize, normalization, mean, std}, classNames (logit order), targetTensor (a 4-D intermediate tensor for the CAM methods).",
                                Example = JsonValue.Create(SpecExample.Trim()),
                            },
                        },
                    },
                },
            },
        };
    }
}
