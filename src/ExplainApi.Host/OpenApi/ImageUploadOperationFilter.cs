using ExplainApi.Host.Imaging;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.OpenApi;

/// <summary>
/// Describes the image body: each raw media type as a binary string (Swagger UI shows a file picker
/// for it) and multipart/form-data with one file field, so an upload works from the Swagger page.
/// </summary>
public sealed class ImageUploadOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ImageUploadMetadata>().Any())
        {
            return;
        }

        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var mediaType in ImageUploadReader.RawMediaTypes)
        {
            content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        }

        content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { ImageUploadReader.MultipartField },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [ImageUploadReader.MultipartField] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Format = "binary",
                        Description = "A PNG, JPEG, DICOM (.dcm) or NIfTI-1 (.nii, .nii.gz) file.",
                    },
                },
            },
        };

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The image: PNG or JPEG (8/16-bit grey, RGB), DICOM Part 10 (any transfer syntax GDCM decodes) or NIfTI-1. The format is recognised from the bytes; the media type is a hint.",
            Content = content,
        };
    }
}
