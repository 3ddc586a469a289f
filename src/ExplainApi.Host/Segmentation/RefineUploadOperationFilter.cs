using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.Segmentation;

/// <summary>Marks the refinement endpoint, whose multipart body the handler reads itself.</summary>
public sealed class RefineUploadMetadata;

/// <summary>Describes the refinement body: the image and a mask or probabilities file, so Swagger UI offers all three pickers.</summary>
public sealed class RefineUploadOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RefineUploadMetadata>().Any())
        {
            return;
        }

        static OpenApiSchema File(string description) => new() { Type = JsonSchemaType.String, Format = "binary", Description = description };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The image and exactly one of mask or probabilities, all of the image's width and height.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { RefineUpload.ImageField },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [RefineUpload.ImageField] = File("The image that was segmented: PNG, JPEG, DICOM or NIfTI-1; 1 (grey) or 3 (RGB) channels."),
                            [RefineUpload.MaskField] = File("The segmentation as an 8- or 16-bit grey PNG: pixel value = class index; 255 (65535) = unknown."),
                            [RefineUpload.ProbabilitiesField] = File("The class probabilities as little-endian float32, C×H×W (C = labels); each pixel sums to 1, or is all 0 (unknown)."),
                        },
                    },
                },
            },
        };
    }
}
