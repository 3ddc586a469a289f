using System.ComponentModel;
using System.Globalization;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
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

namespace ExplainApi.Host.DifferenceMaps;

/// <summary>
/// POST /v1/models/{name}/difference-map: what would have to change for an uploaded image (or several, as multipart: one
/// batched run) to belong to the other class, from a difference-map model (VA-GAN, CycleGAN), with the linked classifier's
/// verdict on the original and on the translation. JSON by default; with <c>Accept: image/png</c> one PNG.
/// </summary>
public static class DifferenceMapEndpoints
{
    public static IEndpointRouteBuilder MapDifferenceMapEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/models").WithTags("Difference maps").RequireAuthorization(Scopes.Infer)
            .MapPost("/{name}/difference-map", Translate)
            .WithName("DifferenceMap")
            .WithSummary("The difference map of an uploaded image for a difference-map model (translated − input), the translation and the linked classifier's probabilities on both: JSON, or one PNG with Accept: image/png.")
            .WithDescription("Send the image as the body (image/png, image/jpeg, application/dicom, NIfTI) or several as multipart/form-data " +
                $"(field 'image', up to {ExplainExecution.MaxImagesPerRequest}: one batched run). The image is normalised as the model's training data was. " +
                "VA-GAN maps are displayed as −(translated − input), so the evidence the translation removes is positive; the response states the convention.")
            .WithMetadata(new ImageUploadMetadata(ExplainExecution.MaxImagesPerRequest), new PngAlternativeMetadata(), RequestBodyLimit.ForImages(app))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status409Conflict) // model-task-mismatch: not a difference-map model
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity) // wrong image size, unknown direction, too costly
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // the model or its classifier loading, busy
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    public static async Task<Results<SizedJson<DifferenceMapResponse>, FileContentHttpResult, ProblemHttpResult>> Translate(
        string name,
        HttpRequest request,
        [FromQuery, ParameterExample("a2b"), Description("The translation: a direction of the model (default a2b).")] string? direction,
        [FromQuery, Description("Model version. Default: the latest.")] int? version,
        [FromQuery, ParameterExample("overlay"), Description("With Accept: image/png: overlay (default; the map over the image), map (the signed map as a linear 16-bit grey PNG at the image's size, zero at 32768, scale in the Difference-Map-Scale header) or translated.")] string? render,
        [FromQuery, ParameterExample("coolwarm"), Description("Colour map of the map and the overlay: coolwarm (default), inferno, viridis.")] string? colormap,
        [FromQuery, Description("JSON: also return each map (translated − input) as base64 little-endian float32 C×H×W at the model's input size.")] bool? raw,
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

        var renderAs = DifferenceMapRender.Overlay;
        if (render is not null && (!Enum.TryParse(render, ignoreCase: true, out renderAs) || !Enum.IsDefined(renderAs)))
        {
            return ImageUploadReader.Invalid($"Unknown render '{Echo.Value(render)}'; known: overlay, map, translated.");
        }

        ColorMap? colors = null;
        if (colormap is not null && !ColorMap.TryGet(colormap, out colors))
        {
            return ImageUploadReader.Invalid($"Unknown colormap '{Echo.Value(colormap)}'; known: {string.Join(", ", ColorMap.Names)}.");
        }

        var (model, problem) = ServedVersions.Resolve(name, version, ModelTaskRoutes.DifferenceMap, registry, cache);
        if (model?.Adapter is not DifferenceMapAdapter adapter)
        {
            return problem ?? ModelEndpoints.NotReady(ModelVersionView.From(model!.Manifest, cache));
        }

        if (DifferenceMapExecution.Direction(adapter, direction) is not { } translator)
        {
            return DifferenceMapExecution.UnknownDirection(model.Manifest, direction);
        }

        var (classifier, classifierProblem) = LinkedClassifier.Resolve(model.Manifest, registry, cache);
        if (classifier is null)
        {
            return classifierProblem!;
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

        var (inputs, shapeProblem) = ModelInputs.PrepareAll(images, model.Manifest.Input);
        if (inputs is null)
        {
            return shapeProblem!;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await DifferenceMapExecution.Run(request.HttpContext, model, translator, classifier, inputs, admitted, cache);
        if (run.Result is null)
        {
            return run.Problem!;
        }

        if (format == ResponseFormat.Png)
        {
            var png = DifferenceMapResponses.Png(model.Manifest, images[0], run.Result.Items[0], renderAs, colors, out var scale);
            if (scale is { } s)
            {
                request.HttpContext.Response.Headers[DifferenceMapResponses.ScaleHeader] = s.ToString("R", CultureInfo.InvariantCulture);
            }

            return TypedResults.File(png, "image/png");
        }

        return new SizedJson<DifferenceMapResponse>(DifferenceMapResponses.Json(model.Manifest, translator.Direction, images, run.Result, classifier, colors, raw == true, clock.Elapsed.TotalMilliseconds));
    }
}
