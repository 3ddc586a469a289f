using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.Features;
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

    public static async Task<(ImageUpload? Upload, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, ImageLimits limits, CancellationToken cancellationToken)
    {
        var (uploads, problem) = await ReadManyAsync(request, limits, maxFiles: 1, cancellationToken);
        return uploads is null ? (null, problem) : (uploads[0], null);
    }

    /// <summary>
    /// One image from a raw body, or 1..<paramref name="maxFiles"/> files from a multipart body (in their order);
    /// together they stay within the byte limit.
    /// </summary>
    public static async Task<(IReadOnlyList<ImageUpload>? Uploads, ProblemHttpResult? Problem)> ReadManyAsync(
        HttpRequest request, ImageLimits limits, int maxFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
            return await ReadMultipartAsync(request, limits, maxFiles, cancellationToken);
        }

        if (type is null || !RawMediaTypes.Contains(type))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        var data = await ReadBoundedAsync(request.Body, limits.MaxBytes, cancellationToken);
        return data is null
            ? (null, TooLarge(null, limits))
            : ([new ImageUpload(data, ImageFormatSniffer.FromMediaType(type))], null);
    }

    private static async Task<(IReadOnlyList<ImageUpload>?, ProblemHttpResult?)> ReadMultipartAsync(
        HttpRequest request, ImageLimits limits, int maxFiles, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limits.MaxBytes, ValueCountLimit = 16 }, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            // Thrown for a part over MultipartBodyLengthLimit and for malformed multipart framing alike.
            return exception.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? (null, TooLarge(null, limits))
                : (null, Invalid("The multipart body is malformed: " + Echo.Message(exception.Message)));
        }

        var files = form.Files;
        if (files.Count < 1 || files.Count > maxFiles)
        {
            return (null, Invalid(maxFiles == 1
                ? $"Send exactly one file in the multipart field '{MultipartField}'; got {files.Count}."
                : $"Send 1 to {maxFiles} files in the multipart field '{MultipartField}'; got {files.Count}."));
        }

        var uploads = new List<ImageUpload>(files.Count);
        foreach (var file in files)
        {
            if (file.Length > limits.MaxBytes)
            {
                return (null, TooLarge(file.Length, limits));
            }

            await using var stream = file.OpenReadStream();
            var data = await ReadBoundedAsync(stream, limits.MaxBytes, cancellationToken);
            if (data is null)
            {
                return (null, TooLarge(file.Length, limits));
            }

            uploads.Add(new ImageUpload(data, ImageFormatSniffer.FromMediaType(file.ContentType)));
        }

        return (uploads, null);
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; null when the stream holds more.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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

    public static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(
        title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest, type: ProblemTypes.InvalidRequest);
}
