namespace ExplainApi.Host.OpenApi;

/// <summary>
/// Marks an endpoint that reads an image from the raw body or a multipart part. The handler reads the
/// body itself (to enforce limits while reading), so the OpenAPI request body is described from this.
/// </summary>
public sealed class ImageUploadMetadata;
