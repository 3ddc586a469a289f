using ExplainApi.Core.Imaging;
using Microsoft.AspNetCore.Http.Metadata;

namespace ExplainApi.Host.Configuration;

/// <summary>
/// A route's own body cap, above the small server-wide one; the endpoint middleware applies it to Kestrel's
/// IHttpMaxRequestBodySizeFeature before the handler reads a byte.
/// </summary>
public sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    /// <summary>Multipart framing (boundaries, part headers) for up to 16 images on top of the image bytes.</summary>
    public const long MultipartAllowance = 64 * 1024;

    /// <summary>The image routes' cap: the configured image limit plus multipart framing.</summary>
    public static RequestBodyLimit ForImages(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new(app.ServiceProvider.GetRequiredService<ImageLimits>().MaxBytes + MultipartAllowance);
    }
}
