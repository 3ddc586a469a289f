using ExplainApi.Host.Errors;
using ExplainApi.Host.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>The problem documents of the segmentation route (query mistakes are 400 invalid-request, as on every route).</summary>
public static class SegmentationProblems
{
    /// <summary>422: the parts are well-formed but do not fit together or break the CRF's rules (sizes, labels, NaN, sums).</summary>
    public static ProblemDetails InvalidInput(string detail) => new()
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "Segmentation input invalid",
        Detail = detail,
        Type = ProblemTypes.SegmentationInputInvalid,
    };

    public static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(InvalidInput(detail));

    public static ProblemHttpResult TooCostly(string what, long cost, long limit, string setting) => TypedResults.Problem(
        title: "Refinement too costly", statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemTypes.RefinementTooCostly,
        detail: $"This refinement's {what} is {cost}; the limit is {limit} (ExplainApi:Segmentation:{setting}). Send a smaller image, fewer labels or fewer iterations.",
        extensions: new Dictionary<string, object?> { ["cost"] = cost, ["limit"] = limit });

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        title: "Unsupported media type", statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType,
        detail: $"Content-Type '{Echo.Value(contentType)}' is not multipart/form-data. Send the image in '{RefineUpload.ImageField}' and either a mask PNG in '{RefineUpload.MaskField}' or float32 maps in '{RefineUpload.ProbabilitiesField}'.");

    public static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "Request too large", statusCode: StatusCodes.Status413PayloadTooLarge, type: ProblemTypes.RequestTooLarge,
        detail: $"A part or the whole body is larger than its limit of {limit} bytes (image and mask: ExplainApi:Limits:MaxImageBytes each; probabilities: 4 bytes × ExplainApi:Segmentation:MaxLabelPixels).");

    public static ProblemHttpResult BadRequest(string detail) => MultipartBodyReader.Invalid(detail);
}
