using System.Diagnostics;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Models;
using ExplainApi.Host.OpenApi;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// POST /v1/models/{name}/segment: a segmentation model's per-pixel classes for an uploaded image (or several, as
/// multipart: one batched run): label map, class masks, areas, bounding boxes and an overlay, at the image's size.
/// JSON by default; with <c>Accept: image/png</c> the overlay.
/// </summary>
public static class SegmentEndpoints
{
    public static IEndpointRouteBuilder MapSegmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/models").WithTags("Segmentation").RequireAuthorization(Scopes.Infer)
            .MapPost("/{name}/segment", Segment)
            .WithName("Segment")
            .WithSummary("The per-pixel classes of an uploaded image for a segmentation model: label map, class masks, areas, bounding boxes and an overlay (JSON), or the overlay PNG with Accept: image/png.")
            .WithDescription("Send the image as the body (image/png, image/jpeg, application/dicom, NIfTI) or several as multipart/form-data " +
                $"(field 'image', up to {ExplainExecution.MaxImagesPerRequest}: one batched run). The image is normalised as the model's training data was, " +
                "resized (bilinear) to the model's size when the model allows it, and the argmax labels are resized back to the image's size nearest-neighbour.")
            .WithMetadata(new ImageUploadMetadata(ExplainExecution.MaxImagesPerRequest), new PngAlternativeMetadata(), RequestBodyLimit.ForImages(app))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status409Conflict) // model-task-mismatch: not a segmentation model
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // wrong channels, too costly
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // loading, busy
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    public static async Task<Results<Ok<SegmentResponse>, FileContentHttpResult, ProblemHttpResult>> Segment(
        string name,
        HttpRequest request,
        [FromQuery, System.ComponentModel.Description("Model version. Default: the latest.")] int? version,
        [AsParameters] DecodeQuery query,
        IModelRegistry registry,
        ModelSessionCache cache,
        ImageRequestDecoder decoder,
        AdmittedExplanation admitted,
        CancellationToken cancellationToken)
    {
        if (ResponseFormats.Negotiate(request) is not { } format)
        {
            return SaliencyProblems.NotAcceptable(request, ResponseFormats.Offered);
        }

        var (model, problem) = ServedVersions.Resolve(name, version, ModelTaskRoutes.Segment, registry, cache);
        if (model?.Adapter is not SegmentationAdapter adapter)
        {
            return problem ?? ModelEndpoints.NotReady(ModelVersionView.From(model!.Manifest, cache));
        }

        var (images, decodeProblem) = await decoder.DecodeManyAsync(request, query, ExplainExecution.MaxImagesPerRequest, cancellationToken);
        if (images is null)
        {
            return decodeProblem!;
        }

        if (format == ResponseFormat.Png && images.Count != 1)
        {
            return ImageUploadReader.Invalid($"Accept: image/png answers one image; got {images.Count}. Ask for application/json.");
        }

        var spec = model.Manifest.Input;
        var (inputs, shapeProblem) = ModelInputs.PrepareAll(images, spec);
        if (inputs is null)
        {
            return shapeProblem!;
        }

        // One forward pass per image, priced and admitted like an explanation so segmentations share the machine fairly.
        var clock = Stopwatch.StartNew();
        var (probabilities, runProblem) = await admitted.RunAsync<float[]>(request.HttpContext, model.Manifest.Name, (long)inputs.Count * spec.Height * spec.Width, token =>
        {
            try
            {
                token.ThrowIfCancellationRequested();
                return (adapter.Segment([.. inputs.SelectMany(i => i)], inputs.Count), null);
            }
            catch (ObjectDisposedException)
            {
                return (null, ModelEndpoints.NotReady(ModelVersionView.From(model.Manifest, cache)));
            }
        });
        if (probabilities is null)
        {
            return runProblem!;
        }

        var segmentMilliseconds = clock.Elapsed.TotalMilliseconds;
        var labels = SegmentResponses.Labels(probabilities, images, adapter.Classes, spec);
        return format == ResponseFormat.Png
            ? TypedResults.File(LabelMapRenderer.OverlayPng(images[0], labels[0]), "image/png")
            : TypedResults.Ok(SegmentResponses.Json(model.Manifest, images, labels, segmentMilliseconds, clock.Elapsed.TotalMilliseconds));
    }
}
