namespace ExplainApi.Host.OpenApi;

/// <summary>
/// Marks an endpoint that reads an image from the raw body or a multipart part. The handler reads the
/// body itself (to enforce limits while reading), so the OpenAPI request body is described from this.
/// <paramref name="MaxFiles"/> above 1: the multipart field may repeat (several images, one batched run).
/// </summary>
public sealed record ImageUploadMetadata(int MaxFiles = 1);

/// <summary>Marks an endpoint whose 200 answer can also be one PNG (chosen by Accept), besides its JSON.</summary>
public sealed class PngAlternativeMetadata;
