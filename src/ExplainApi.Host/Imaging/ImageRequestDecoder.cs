using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Imaging;

/// <summary>
/// The one path from an HTTP request to a decoded image, shared by every endpoint that takes an image:
/// query validation, bounded body read, decode; every failure comes back as a typed problem.
/// </summary>
public sealed class ImageRequestDecoder(ImageReader reader, ImageLimits limits)
{
    public async Task<(ImageTensor? Image, ProblemHttpResult? Problem)> DecodeAsync(
        HttpRequest request, DecodeQuery query, CancellationToken cancellationToken)
    {
        if (query.Validate() is { } invalid)
        {
            return (null, ImageUploadReader.Invalid(invalid));
        }

        var (upload, problem) = await ImageUploadReader.ReadAsync(request, limits, cancellationToken);
        if (upload is null)
        {
            return (null, problem);
        }

        try
        {
            return (reader.Read(upload.Data, upload.DeclaredFormat, query.ToOptions(), limits), null);
        }
        catch (ImageDecodeException exception)
        {
            var details = ImageProblems.From(exception);
            return (null, TypedResults.Problem(details));
        }
    }
}
