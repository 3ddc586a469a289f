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
    private static OpenApiSchema File() => new()
    {
        Type = JsonSchemaType.String,
        Format = "binary",
        Description = "A PNG, JPEG, DICOM (.dcm) or NIfTI-1 (.nii, .nii.gz) file.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<PngAlternativeMetadata>().Any() && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content["image/png"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            response.Description = "JSON (Accept: application/json, the default) or one PNG (Accept: image/png).";
        }

        if (metadata.OfType<ImageUploadMetadata>().FirstOrDefault() is not { } upload)
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
                    [ImageUploadReader.MultipartField] = upload.MaxFiles == 1 ? File() : new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = File(),
                        MaxItems = upload.MaxFiles,
                        Description = $"1 to {upload.MaxFiles} images, explained in one batched run, answered in this order.",
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
