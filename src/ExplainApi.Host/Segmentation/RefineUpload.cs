using ExplainApi.Core.Imaging;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The multipart body of a refinement, read by the service's one multipart reader: the image, and exactly one of a mask
/// PNG or the probabilities (little-endian float32 C×H×W), each within its byte limit, all in memory.
/// </summary>
public sealed record RefineUpload(ImageUpload Image, byte[]? Mask, byte[]? Probabilities)
{
    public const string ImageField = "image", MaskField = "mask", ProbabilitiesField = "probabilities";

    /// <summary>Image and mask each within the image limit, or image and probabilities; plus multipart framing.</summary>
    public static long MaxBodyBytes(ImageLimits limits, SegmentationOptions options) =>
        limits.MaxBytes + Math.Max(limits.MaxBytes, options.MaxProbabilityBytes) + RequestBodyLimit.MultipartAllowance;

    public static async Task<(RefineUpload? Upload, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, MultipartBodyReader multipart, ImageLimits limits, SegmentationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(multipart);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (null, SegmentationProblems.UnsupportedMediaType(request.ContentType));
        }

        var total = MaxBodyBytes(limits, options);
        if (request.ContentLength > total)
        {
            return (null, SegmentationProblems.TooLarge(total));
        }

        var rules = new MultipartRules(
            [
                new MultipartFieldRule(ImageField, 1, 1, limits.MaxBytes),
                new MultipartFieldRule(MaskField, 0, 1, limits.MaxBytes),
                new MultipartFieldRule(ProbabilitiesField, 0, 1, options.MaxProbabilityBytes),
            ],
            total, SegmentationProblems.TooLarge);
        var (body, problem) = await multipart.ReadAsync(request, mediaType, rules, cancellationToken);
        if (body is null)
        {
            return (null, problem);
        }

        await using (body)
        {
            var (image, mask, probabilities) = (body[ImageField][0], First(body[MaskField]), First(body[ProbabilitiesField]));
            if ((mask is null) == (probabilities is null))
            {
                return (null, SegmentationProblems.BadRequest(
                    $"Send exactly one of '{MaskField}' (a PNG of class indices) and '{ProbabilitiesField}' (float32 C×H×W); got {(mask is null ? "neither" : "both")}."));
            }

            return (new RefineUpload(new ImageUpload(image.Bytes, ImageFormatSniffer.FromMediaType(image.ContentType)), mask?.Bytes, probabilities?.Bytes), null);
        }
    }

    private static MultipartPart? First(IReadOnlyList<MultipartPart> parts) => parts.Count == 0 ? null : parts[0];
}
