using System.Diagnostics;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Uploads;
using ExplainApi.Host.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// POST /v1/segmentations/refine: anyone's segmentation, refined by our dense CRF (Krähenbühl &amp; Koltun 2011) on the
/// image it segments. Multipart: the image, and a mask PNG of class indices (with a confidence) or the model's class
/// probabilities (float32 C×H×W). JSON by default; with <c>Accept: image/png</c> the refined mask alone.
/// </summary>
public static class RefineEndpoints
{
    public static IEndpointRouteBuilder MapRefineEndpoints(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<ImageLimits>();
        var options = app.ServiceProvider.GetRequiredService<IOptions<SegmentationOptions>>().Value;
        app.MapGroup("/v1/segmentations").WithTags("Segmentations").RequireAuthorization(Scopes.Infer)
            .MapPost("/refine", Refine)
            .WithName("RefineSegmentation")
            .WithSummary("Refine a segmentation with a dense CRF on its image: multipart 'image' and 'mask' (PNG of class indices) or 'probabilities' (float32 C×H×W); the refined label mask as JSON, or a PNG with Accept: image/png.")
            .WithDescription("The image (PNG, JPEG, DICOM, NIfTI; slice, volume, frame as for every image route) guides the CRF's appearance kernel " +
                "through its display window on 0–255. A mask must be an 8- or 16-bit grey PNG of the image's size, value = class index, the depth's maximum " +
                "(255 or 65535) = unknown. Probabilities are little-endian float32, C×H×W, C = labels, each pixel summing to 1 (or all 0: unknown).")
            .WithMetadata(new RefineUploadMetadata(), new PngAlternativeMetadata(), new RequestBodyLimit(RefineUpload.MaxBodyBytes(limits, options)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // segmentation-input-invalid, refinement-too-costly, image-unsupported
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // explain-busy, decode-busy (Retry-After)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    public static async Task<Results<SizedJson<SegmentationRefineResponse>, FileContentHttpResult, ProblemHttpResult>> Refine(
        HttpRequest request,
        [AsParameters] RefineQuery query,
        [AsParameters] CrfQuery crf,
        [AsParameters] DecodeQuery decode,
        ImageRequestDecoder decoder,
        MultipartBodyReader multipart,
        ImageLimits limits,
        IOptions<SegmentationOptions> options,
        AdmittedExplanation admitted,
        CancellationToken cancellationToken)
    {
        if (ResponseFormats.Negotiate(request) is not { } format)
        {
            return SaliencyProblems.NotAcceptable(request, ResponseFormats.Offered);
        }

        if ((query.Validate() ?? crf.Validate() ?? decode.Validate()) is { } invalid)
        {
            return SegmentationProblems.BadRequest(invalid);
        }

        var (upload, problem) = await RefineUpload.ReadAsync(request, multipart, limits, options.Value, cancellationToken);
        if (upload is null)
        {
            return problem!;
        }

        if (upload.Probabilities is not null && (query.Labels is null || query.Confidence is not null))
        {
            return SegmentationProblems.BadRequest(query.Labels is null
                ? "labels (the class count C of the probabilities) is required with probabilities."
                : "confidence turns a mask into probabilities; with probabilities it has no meaning.");
        }

        var clock = Stopwatch.StartNew();
        var http = request.HttpContext;
        var admittedLimits = decoder.AdmittedLimits(http);
        var (image, imageProblem) = decoder.Decode(http, upload.Image, decode.ToOptions(), admittedLimits);
        if (image is null)
        {
            return imageProblem!;
        }

        var (guide, guideProblem) = RefineInputs.Guide(image);
        if (guide is null)
        {
            return guideProblem!;
        }

        // With the label count known, the price is checked before the mask or the probabilities are even looked at.
        var parameters = crf.Parameters;
        if (query.Labels is { } stated && RefineExecution.CheckCost(image.Height, image.Width, stated, parameters.Iterations, options.Value) is { } early)
        {
            return early;
        }

        var (input, inputProblem) = Potentials(http, upload, image, query, decoder, admittedLimits);
        if (input is null)
        {
            return inputProblem!;
        }

        if ((RefineExecution.CheckCost(image.Height, image.Width, input.Labels, parameters.Iterations, options.Value)
            ?? (DenseCrf.Validate(guide, input.Labels, parameters) is { } crfError ? SegmentationProblems.Invalid(crfError) : null)) is { } refused)
        {
            return refused;
        }

        var run = await RefineExecution.RunAsync(http, admitted, guide, input.Labels, parameters, input.Unary);
        if (run.Result is null)
        {
            return run.Problem!;
        }

        return format == ResponseFormat.Png
            ? TypedResults.File(RefineExecution.Png(run.Result.Result), "image/png")
            : new SizedJson<SegmentationRefineResponse>(RefineExecution.Json(run.Result, input.Kind, input.Confidence, input.Stated, query.Raw == true, parameters, clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>The mask's or the probabilities' labelling and a deferred unary (built once admitted).</summary>
    private static (RefineInput? Input, ProblemHttpResult? Problem) Potentials(
        HttpContext http, RefineUpload upload, ImageTensor image, RefineQuery query, ImageRequestDecoder decoder, ImageLimits admittedLimits)
    {
        if (upload.Probabilities is { } bytes)
        {
            var labels = query.Labels!.Value;
            var (probabilities, problem) = RefineInputs.Probabilities(bytes, labels, image.Height, image.Width);
            return probabilities is null ? (null, problem)
                : (new RefineInput(RefineUpload.ProbabilitiesField, labels, null, RefineInputs.StatedLabels(probabilities, labels, image.PixelCount),
                    () => CrfUnary.FromProbabilities(probabilities)), null);
        }

        if (RefineInputs.CheckMaskHeader(upload.Mask!, image) is { } headerProblem)
        {
            return (null, headerProblem);
        }

        var (mask, decodeProblem) = decoder.Decode(http, new ImageUpload(upload.Mask!, ImageFormat.Png), DecodeOptions.Default, admittedLimits);
        if (mask is null)
        {
            if (decodeProblem!.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable)
            {
                decodeProblem.ProblemDetails.Detail = $"Mask: {decodeProblem.ProblemDetails.Detail}";
            }

            return (null, decodeProblem);
        }

        var (stated, count, labelProblem) = RefineInputs.MaskLabels(mask, query.Labels);
        var confidence = query.Confidence ?? RefineQuery.DefaultConfidence;
        return stated is null ? (null, labelProblem)
            : (new RefineInput(RefineUpload.MaskField, count, confidence, stated, () => CrfUnary.FromLabels(stated, count, confidence)), null);
    }

    private sealed record RefineInput(string Kind, int Labels, float? Confidence, int[] Stated, Func<float[]> Unary);
}
