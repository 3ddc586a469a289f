using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Imaging;

/// <summary>An uploaded image's bytes and the format its media type (or multipart part) declared.</summary>
public sealed record ImageUpload(byte[] Data, ImageFormat? DeclaredFormat);

/// <summary>
/// Reads one image from a request: a raw body (image/png, image/jpeg, application/dicom, NIfTI,
/// application/octet-stream) or a multipart/form-data part. The media type is checked before the body
/// is read (415), and the byte limit before and while it is read (413): Content-Length is checked
/// first, and the copy stops at the limit whatever the header said.
/// </summary>
public static class ImageUploadReader
{
    public static readonly string[] RawMediaTypes =
        ["image/png", "image/jpeg", "application/dicom", "application/x-nifti", "application/gzip", "application/octet-stream"];

    public const string MultipartField = "image";

    /// <summary>
    /// One image from a raw body, or 1..<paramref name="maxFiles"/> files from a multipart body (in their order);
    /// together they stay within the byte limit.
    /// </summary>
    public static async Task<(IReadOnlyList<ImageUpload>? Uploads, ProblemHttpResult? Problem)> ReadManyAsync(
        HttpRequest request, MultipartBodyReader multipart, ImageLimits limits, int maxFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(multipart);
        ArgumentNullException.ThrowIfNull(limits);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > limits.MaxBytes)
        {
            return (null, TooLarge(request.ContentLength.Value, limits));
        }

        var type = mediaType.MediaType.Value?.ToLowerInvariant();
        if (type == "multipart/form-data")
        {
            return await ReadMultipartAsync(request, mediaType, multipart, limits, maxFiles, cancellationToken);
        }

        if (type is null || !RawMediaTypes.Contains(type))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        using var buffer = new MemoryStream();
        return await UploadBody.CopyAsync(request.Body, buffer, limits.MaxBytes, cancellationToken) switch
        {
            BodyReadOutcome.Complete => ([new ImageUpload(buffer.ToArray(), ImageFormatSniffer.FromMediaType(type))], null),
            BodyReadOutcome.TooLarge => (null, TooLarge(null, limits)),
            _ => (null, Invalid(UploadBody.IncompleteDetail)),
        };
    }

    /// <summary>Up to <paramref name="maxFiles"/> parts in memory; each and all together within the image byte limit.</summary>
    private static async Task<(IReadOnlyList<ImageUpload>?, ProblemHttpResult?)> ReadMultipartAsync(
        HttpRequest request, MediaTypeHeaderValue mediaType, MultipartBodyReader multipart, ImageLimits limits, int maxFiles, CancellationToken cancellationToken)
    {
        var rules = new MultipartRules([new MultipartFieldRule(MultipartField, 1, maxFiles, limits.MaxBytes)], limits.MaxBytes, _ => TooLarge(null, limits));
        var (body, problem) = await multipart.ReadAsync(request, mediaType, rules, cancellationToken);
        if (body is null)
        {
            return (null, problem);
        }

        await using (body)
        {
            return ([.. body[MultipartField].Select(p => new ImageUpload(p.Bytes, ImageFormatSniffer.FromMediaType(p.ContentType)))], null);
        }
    }

    private static ProblemHttpResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        title: "Unsupported media type",
        detail: $"Content-Type '{Echo.Value(contentType)}' is not an image this service reads. Send one of: {string.Join(", ", RawMediaTypes)}, or multipart/form-data with a file in '{MultipartField}'.",
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        type: ProblemTypes.UnsupportedMediaType);

    private static ProblemHttpResult TooLarge(long? length, ImageLimits limits) => TypedResults.Problem(
        title: "Image too large",
        detail: length is { } n
            ? $"The image is {n} bytes; the limit is {limits.MaxBytes}."
            : $"The image is larger than the limit of {limits.MaxBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        type: ProblemTypes.ImageTooLarge);

    public static ProblemHttpResult Invalid(string detail) => MultipartBodyReader.Invalid(detail);
}
