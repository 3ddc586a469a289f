using System.Diagnostics;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Models;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Responses;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// POST /v1/models/{name}/segment: a segmentation model's per-pixel classes for an uploaded image (or several, as
/// multipart: one batched run): label map, class masks, areas, bounding boxes and an overlay, at the image's size.
/// JSON by default; with <c>Accept: image/png</c> the overlay (stages, which only JSON can carry, are then refused with 400).
/// Optionally the network's probabilities refined by the dense CRF, and the linked classifier's pseudo-mask stages.
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
                "resized (bilinear) to the model's size when the model allows it, and the argmax labels are resized back to the image's size nearest-neighbour. " +
                "refine=crf first refines the network's probabilities with the dense CRF (parameters as on /v1/segmentations/refine). " +
                "stages=seed,crf,ssdd adds per image the pseudo-mask stages recomputed from the model's linked classifier (classes with sigmoid probability ≥ labelThreshold, " +
                "their CAM seed, its CRF refinement, and static SSDD's integration of the two by the version's own difference detector and biases), JSON only; " +
                "a model trained on ground-truth masks, or whose classifier is gone, and ssdd on a version without a static-SSDD detector, are 409 segmentation-stages-unavailable.")
            .WithMetadata(new ImageUploadMetadata(ExplainExecution.MaxImagesPerRequest), new PngAlternativeMetadata(), RequestBodyLimit.ForImages(app))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status409Conflict) // model-task-mismatch: not a segmentation model; segmentation-stages-unavailable
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // wrong channels, too costly
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // loading, busy
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    public static async Task<Results<SizedJson<SegmentResponse>, FileContentHttpResult, ProblemHttpResult>> Segment(
        string name,
        HttpRequest request,
        [FromQuery, System.ComponentModel.Description("Model version. Default: the latest.")] int? version,
        [AsParameters] SegmentQuery segment,
        [AsParameters] CrfQuery crf,
        [AsParameters] DecodeQuery query,
        IModelRegistry registry,
        ModelSessionCache cache,
        ImageRequestDecoder decoder,
        AdmittedExplanation admitted,
        IOptions<SegmentationOptions> options,
        CancellationToken cancellationToken)
    {
        if (ResponseFormats.Negotiate(request) is not { } format)
        {
            return SaliencyProblems.NotAcceptable(request, ResponseFormats.Offered);
        }

        if ((segment.Validate() ?? crf.Validate()) is { } invalid)
        {
            return SegmentationProblems.BadRequest(invalid);
        }

        // The PNG answer is one overlay: stages have no place in it, so asking for both is refused rather than ignored.
        var stages = segment.StageNames;
        if (format == ResponseFormat.Png && stages.Count > 0)
        {
            return SegmentationProblems.BadRequest("stages are answered in JSON only; ask for application/json.");
        }

        var (model, problem) = ServedVersions.Resolve(name, version, ModelTaskRoutes.Segment, registry, cache);
        if (model?.Adapter is not SegmentationAdapter adapter)
        {
            return problem ?? ModelEndpoints.NotReady(ModelVersionView.From(model!.Manifest, cache));
        }

        LoadedModel? classifier = null;
        DifferenceDetectorGraph? detector = null;
        if (stages.Count > 0)
        {
            (classifier, var linkProblem) = StageClassifier.Resolve(model.Manifest, registry, cache);
            if (classifier is null)
            {
                return linkProblem!;
            }

            if (stages.Contains(PseudoMaskStages.Ssdd))
            {
                (detector, var ssddProblem) = SsddStage.Resolve(model.Manifest, adapter, classifier);
                if (detector is null)
                {
                    return ssddProblem!;
                }
            }
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
        var (classifierInputs, classifierProblem) = classifier is null ? ([], null) : ModelInputs.PrepareAll(images, classifier.Manifest.Input);
        if (inputs is null || classifierInputs is null)
        {
            return (shapeProblem ?? classifierProblem)!;
        }

        // The stages recompute training's pseudo-masks: its α and CRF unless the query overrides the CRF.
        var trained = adapter.Section.PseudoMasks;
        var parameters = crf.Over(trained?.Crf ?? DenseCrfParameters.Default);
        if (segment.RefineWithCrf && RefineExecution.CheckCost(spec.Height, spec.Width, adapter.Classes, parameters.Iterations, options.Value) is { } tooCostly)
        {
            return tooCostly;
        }

        var clock = Stopwatch.StartNew();
        var (run, runProblem) = await SegmentExecution.RunAsync(request.HttpContext, admitted, cache, model, inputs,
            new SegmentPlan(segment.RefineWithCrf ? parameters : null, stages, new SeedOptions { Threshold = segment.Threshold, Alpha = trained?.Alpha ?? CamSeeds.DefaultAlpha }, parameters, classifier, classifierInputs, detector));
        if (run is null)
        {
            return runProblem!;
        }

        var segmentMilliseconds = clock.Elapsed.TotalMilliseconds;
        var resized = SegmentResponses.AtImageSizes(run.Labels, images, spec.Height, spec.Width);
        return format == ResponseFormat.Png
            ? TypedResults.File(LabelMapRenderer.OverlayPng(images[0], resized[0]), "image/png")
            : new SizedJson<SegmentResponse>(SegmentResponses.Json(model.Manifest, images, resized, segment.RefineWithCrf, run.Stages, segmentMilliseconds, clock.Elapsed.TotalMilliseconds));
    }
}
