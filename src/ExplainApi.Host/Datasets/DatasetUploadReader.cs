using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Datasets;

/// <summary>An uploaded archive spooled to a temporary file that deletes itself when disposed.</summary>
public sealed record DatasetUpload(FileStream Archive, string? FileName) : IDisposable
{
    public void Dispose() => Archive.Dispose();
}

/// <summary>
/// Reads a zip from a request as <see cref="Imaging.ImageUploadReader"/> reads an image: media type
/// first (415), Content-Length next (413), then a copy that stops at the limit whatever the header
/// said. The archive goes to a temporary file, not memory (ZipArchive needs a seekable stream and
/// archives run to hundreds of megabytes); multipart is streamed section by section for the same reason.
/// </summary>
public static class DatasetUploadReader
{
    public static readonly string[] RawMediaTypes = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

    public const string MultipartField = "archive";

    // Multipart framing (boundaries, part headers) on top of the archive itself.
    private const long MultipartAllowance = 64 * 1024;

    public static async Task<(DatasetUpload? Upload, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, string temporaryDirectory, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        var type = mediaType.MediaType.Value?.ToLowerInvariant();
        var multipart = type == "multipart/form-data";
        if (!multipart && (type is null || !RawMediaTypes.Contains(type)))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        var allowed = maxBytes + (multipart ? MultipartAllowance : 0);
        if (request.ContentLength > allowed)
        {
            return (null, TooLarge(request.ContentLength.Value, maxBytes));
        }

        // Kestrel's server-wide cap is sized for images; an archive may be larger.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = allowed;
        }

        Directory.CreateDirectory(temporaryDirectory);
        var file = new FileStream(Path.Combine(temporaryDirectory, $"{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var (fileName, problem) = multipart
                ? await ReadMultipartAsync(request, mediaType, file, maxBytes, cancellationToken)
                : (null, await CopyBoundedAsync(request.Body, file, maxBytes, cancellationToken) ? null : TooLarge(null, maxBytes));
            if (problem is not null)
            {
                await file.DisposeAsync();
                return (null, problem);
            }

            file.Position = 0;
            return (new DatasetUpload(file, fileName), null);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or InvalidDataException or IOException)
        {
            await file.DisposeAsync();
            return (null, exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? TooLarge(null, maxBytes)
                : Invalid("The request body could not be read: " + Echo.Message(exception.Message)));
        }
    }

    private static async Task<(string? FileName, ProblemHttpResult? Problem)> ReadMultipartAsync(
        HttpRequest request, MediaTypeHeaderValue mediaType, FileStream file, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, Invalid("The multipart body names no boundary."));
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        string? fileName = null;
        var found = false;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
            {
                continue; // plain form fields carry nothing we read
            }

            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (field != MultipartField || found)
            {
                return (null, Invalid($"Send exactly one file, in the multipart field '{MultipartField}'; got another in '{Echo.Value(field)}'."));
            }

            found = true;
            fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            if (!await CopyBoundedAsync(section.Body, file, maxBytes, cancellationToken))
            {
                return (null, TooLarge(null, maxBytes));
            }
        }

        return found ? (fileName, null) : (null, Invalid($"The multipart body has no file in the field '{MultipartField}'."));
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; false when the source holds more.</summary>
    private static async Task<bool> CopyBoundedAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return false;
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return true;
    }

    private static ProblemHttpResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        title: "Unsupported media type",
        detail: $"Content-Type '{Echo.Value(contentType)}' is not a zip archive. Send one of: {string.Join(", ", RawMediaTypes)}, or multipart/form-data with the zip in '{MultipartField}'.",
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        type: ProblemTypes.UnsupportedMediaType);

    private static ProblemHttpResult TooLarge(long? length, long limit) => TypedResults.Problem(
        title: "Archive too large",
        detail: length is { } n ? $"The upload is {n} bytes; the limit is {limit}." : $"The upload is larger than the limit of {limit} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        type: ProblemTypes.DatasetArchiveTooLarge);

    public static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(
        title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest, type: ProblemTypes.InvalidRequest);
}
