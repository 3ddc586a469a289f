using ExplainApi.Host.Errors;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Datasets;

/// <summary>An uploaded archive in a spool file that deletes itself when disposed.</summary>
public sealed record DatasetUpload(Stream Archive, string? FileName) : IDisposable
{
    public void Dispose() => Archive.Dispose();
}

/// <summary>
/// Reads a zip from a request as <see cref="Imaging.ImageUploadReader"/> reads an image: media type
/// first (415), Content-Length next (413), then a copy that stops at the limit whatever the header
/// said. The archive goes to a spool file, not memory (ZipArchive needs a seekable stream and
/// archives run to hundreds of megabytes); multipart is streamed by the shared reader for the same reason.
/// </summary>
public static class DatasetUploadReader
{
    public static readonly string[] RawMediaTypes = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

    public const string MultipartField = "archive";

    // Multipart framing (boundaries, part headers) and ignored form fields on top of the archive itself.
    private const long MultipartAllowance = 64 * 1024;

    public static async Task<(DatasetUpload? Upload, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, MultipartBodyReader multipart, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(multipart);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        var type = mediaType.MediaType.Value?.ToLowerInvariant();
        var isMultipart = type == "multipart/form-data";
        if (!isMultipart && (type is null || !RawMediaTypes.Contains(type)))
        {
            return (null, UnsupportedMediaType(request.ContentType));
        }

        var allowed = maxBytes + (isMultipart ? MultipartAllowance : 0);
        if (request.ContentLength > allowed)
        {
            return (null, TooLarge(request.ContentLength.Value, maxBytes));
        }

        // Kestrel's server-wide cap is sized for images; an archive may be larger.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = allowed;
        }

        return isMultipart
            ? await ReadMultipartAsync(request, mediaType, multipart, maxBytes, cancellationToken)
            : await ReadRawAsync(request, multipart.Spool, maxBytes, cancellationToken);
    }

    private static async Task<(DatasetUpload?, ProblemHttpResult?)> ReadRawAsync(
        HttpRequest request, SpoolFolder spool, long maxBytes, CancellationToken cancellationToken)
    {
        var file = spool.CreateFile();
        try
        {
            var outcome = await UploadBody.CopyAsync(request.Body, file, maxBytes, cancellationToken);
            if (outcome == BodyReadOutcome.Complete)
            {
                file.Position = 0;
                return (new DatasetUpload(file, null), null);
            }

            await file.DisposeAsync();
            return (null, outcome == BodyReadOutcome.TooLarge ? TooLarge(null, maxBytes) : Invalid(UploadBody.IncompleteDetail));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task<(DatasetUpload?, ProblemHttpResult?)> ReadMultipartAsync(
        HttpRequest request, MediaTypeHeaderValue mediaType, MultipartBodyReader multipart, long maxBytes, CancellationToken cancellationToken)
    {
        var rules = new MultipartRules([new MultipartFieldRule(MultipartField, 1, 1, maxBytes, Spool: true)], maxBytes + MultipartAllowance,
            _ => TooLarge(null, maxBytes));
        var (body, problem) = await multipart.ReadAsync(request, mediaType, rules, cancellationToken);
        if (body is null)
        {
            return (null, problem);
        }

        // The one part now owns the spool file; disposing the upload deletes it.
        var archive = body[MultipartField][0];
        return (new DatasetUpload(archive.OpenRead(), archive.FileName), null);
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

    public static ProblemHttpResult Invalid(string detail) => MultipartBodyReader.Invalid(detail);
}
