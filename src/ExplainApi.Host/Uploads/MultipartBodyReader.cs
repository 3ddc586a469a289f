using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Uploads;

/// <summary>
/// The one multipart/form-data reader of the service: the boundary is checked before the body is read,
/// sections are streamed, every part and the whole body are counted against their limits, and a body that
/// breaks its framing in any way is a 400 with our own text. Spooled parts are released on every path
/// that does not hand them to the caller.
/// </summary>
public sealed class MultipartBodyReader(SpoolFolder spool)
{
    public const string MalformedDetail =
        "The multipart body is malformed or incomplete (cut short, without its closing boundary, or with an unreadable part header).";

    private const int HeadersLengthLimit = 16 * 1024;

    /// <summary>Where spooled parts go; raw (non-multipart) uploads that need a file use it too.</summary>
    public SpoolFolder Spool => spool;

    public async Task<(MultipartBody? Body, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, MediaTypeHeaderValue mediaType, MultipartRules rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rules);
        if (!MultipartBoundary.TryGet(mediaType, out var boundary))
        {
            return (null, Invalid(MultipartBoundary.Rule));
        }

        var parts = new List<MultipartPart>();
        var counts = rules.Fields.ToDictionary(f => f.Name, _ => 0, StringComparer.Ordinal);
        var handedOver = false;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = HeadersLengthLimit };
            long total = 0;
            while (await UploadBody.FromClientAsync(() => reader.ReadNextSectionAsync(cancellationToken)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    return (null, Invalid(MalformedDetail));
                }

                var field = rules.Find(name);
                if (field is null && disposition.IsFileDisposition())
                {
                    return (null, Invalid($"This route reads files only from the multipart field(s) {string.Join(", ", rules.Fields.Select(f => $"'{f.Name}'"))}; the body has a file in another field."));
                }

                // Parts beyond a field's count are still read (and counted against the total) so the answer can say how many came.
                var keep = field is not null && ++counts[name] <= field.MaxCount;
                var remaining = rules.MaxTotalBytes - total;
                var limit = keep ? Math.Min(field!.MaxBytes, remaining) : remaining;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (await ReadPartAsync(section, keep ? field : null, fileName, limit, parts, cancellationToken) is not { } copied)
                {
                    return (null, rules.TooLarge(keep && field!.MaxBytes <= remaining ? field.MaxBytes : rules.MaxTotalBytes));
                }

                total += copied;
            }

            if (rules.Fields.FirstOrDefault(f => counts[f.Name] < f.MinCount || counts[f.Name] > f.MaxCount) is { } broken)
            {
                return (null, Invalid($"{broken.CountRule}; got {counts[broken.Name]}."));
            }

            handedOver = true;
            return (new MultipartBody(parts), null);
        }
        catch (ClientBodyException exception)
        {
            return (null, exception.TooLarge ? rules.TooLarge(rules.MaxTotalBytes) : Invalid(MalformedDetail));
        }
        finally
        {
            if (!handedOver)
            {
                await new MultipartBody(parts).DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One section into memory, a spool file, or nowhere (<paramref name="field"/> null); the bytes read, null over the limit.
    /// A spooled part joins <paramref name="parts"/> before its first byte, so it is released whatever happens next.
    /// </summary>
    private async Task<long?> ReadPartAsync(
        MultipartSection section, MultipartFieldRule? field, string? fileName, long limit, List<MultipartPart> parts, CancellationToken cancellationToken)
    {
        if (field is null)
        {
            return await UploadBody.CopyOrThrowAsync(section.Body, Stream.Null, limit, cancellationToken);
        }

        if (field.Spool)
        {
            var file = spool.CreateFile();
            parts.Add(new MultipartPart(field.Name, fileName, section.ContentType, null, file));
            var copied = await UploadBody.CopyOrThrowAsync(section.Body, file, limit, cancellationToken);
            await file.FlushAsync(cancellationToken);
            return copied;
        }

        using var buffer = new MemoryStream();
        var read = await UploadBody.CopyOrThrowAsync(section.Body, buffer, limit, cancellationToken);
        if (read is not null)
        {
            parts.Add(new MultipartPart(field.Name, fileName, section.ContentType, buffer.ToArray(), null));
        }

        return read;
    }

    /// <summary>The 400 invalid-request problem every upload reader answers with.</summary>
    public static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(
        title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest, type: Errors.ProblemTypes.InvalidRequest);
}
