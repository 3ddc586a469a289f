using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Imaging;

/// <summary>
/// The one path from an HTTP request to a decoded image, shared by every endpoint that takes an image:
/// query validation, bounded body read, decode under <see cref="DecodeAdmission"/>; every failure comes back as a typed problem.
/// </summary>
public sealed class ImageRequestDecoder(ImageReader reader, ImageLimits limits, MultipartBodyReader multipart, DecodeAdmission admission)
{
    public async Task<(ImageTensor? Image, ProblemHttpResult? Problem)> DecodeAsync(
        HttpRequest request, DecodeQuery query, CancellationToken cancellationToken)
    {
        var (images, problem) = await DecodeManyAsync(request, query, maxFiles: 1, cancellationToken);
        return images is null ? (null, problem) : (images[0], null);
    }

    /// <summary>One image from a raw body, or up to <paramref name="maxFiles"/> from a multipart body, in order.</summary>
    public async Task<(IReadOnlyList<ImageTensor>? Images, ProblemHttpResult? Problem)> DecodeManyAsync(
        HttpRequest request, DecodeQuery query, int maxFiles, CancellationToken cancellationToken)
    {
        if (query.Validate() is { } invalid)
        {
            return (null, ImageUploadReader.Invalid(invalid));
        }

        var (uploads, problem) = await ImageUploadReader.ReadManyAsync(request, multipart, limits, maxFiles, cancellationToken);
        if (uploads is null)
        {
            return (null, problem);
        }

        var images = new List<ImageTensor>(uploads.Count);
        var admitted = AdmittedLimits(request.HttpContext);
        foreach (var upload in uploads)
        {
            var (image, decodeProblem) = Decode(request.HttpContext, upload, query.ToOptions(), admitted);
            if (image is null)
            {
                if (uploads.Count > 1 && decodeProblem!.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable)
                {
                    decodeProblem.ProblemDetails.Detail = $"Image {images.Count}: {decodeProblem.ProblemDetails.Detail}";
                }

                return (null, decodeProblem);
            }

            images.Add(image);
        }

        return (images, null);
    }

    /// <summary>The image limits of one request with its decoded-pixel admission: decode all of a request's images with the same one.</summary>
    public ImageLimits AdmittedLimits(HttpContext http) => limits with { Admit = admission.ReserveFor(http) };

    /// <summary>One upload read by a route itself (e.g. one field of its own multipart body), under <see cref="AdmittedLimits"/>.</summary>
    public (ImageTensor? Image, ProblemHttpResult? Problem) Decode(HttpContext http, ImageUpload upload, DecodeOptions options, ImageLimits admitted)
    {
        ArgumentNullException.ThrowIfNull(upload);
        try
        {
            return (reader.Read(upload.Data, upload.DeclaredFormat, options, admitted), null);
        }
        catch (DecodeBusyException)
        {
            return (null, admission.Busy(http));
        }
        catch (ImageDecodeException exception)
        {
            return (null, TypedResults.Problem(ImageProblems.From(exception)));
        }
    }
}
