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
        var admitted = limits with { Admit = admission.ReserveFor(request.HttpContext) };
        foreach (var upload in uploads)
        {
            try
            {
                images.Add(reader.Read(upload.Data, upload.DeclaredFormat, query.ToOptions(), admitted));
            }
            catch (DecodeBusyException)
            {
                return (null, admission.Busy(request.HttpContext));
            }
            catch (ImageDecodeException exception)
            {
                var details = ImageProblems.From(exception);
                if (uploads.Count > 1)
                {
                    details.Detail = $"Image {images.Count}: {details.Detail}";
                }

                return (null, TypedResults.Problem(details));
            }
        }

        return (images, null);
    }
}
