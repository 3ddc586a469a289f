using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ExplainApi.Host.Datasets;

/// <summary>Marks the endpoint that reads a zip archive from the raw body or a multipart part.</summary>
public sealed class DatasetUploadMetadata;

/// <summary>
/// Describes the archive body as the image filter describes images: each raw media type as a binary
/// string and multipart/form-data with the one file field, so Swagger UI shows a file picker.
/// </summary>
public sealed class DatasetUploadOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<DatasetUploadMetadata>().Any())
        {
            return;
        }

        var content = DatasetUploadReader.RawMediaTypes.ToDictionary(
            type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });
        content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { DatasetUploadReader.MultipartField },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [DatasetUploadReader.MultipartField] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Format = "binary",
                        Description = "A .zip of PNG, JPEG, DICOM or NIfTI images.",
                    },
                },
            },
        };

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A zip archive: class folders (<class>/<file>, optionally under one top folder), or labels.csv " +
                "(header file,label[,mask]) naming files inside it. Unreadable images are listed as rejected; the rest is imported.",
            Content = content,
        };
    }
}
