using System.ComponentModel;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Models;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Responses;
using ExplainApi.Onnx.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Models;

/// <summary>
/// POST /v1/models/{name}/saliency: saliency maps of an uploaded image (or several, as multipart: one batched run)
/// for one or more methods. JSON by default (predictions, a map per method, manifests, timings); with
/// <c>Accept: image/png</c> one PNG: the map over the image, the map alone (16-bit grey) or a colour heat map.
/// </summary>
public static class SaliencyEndpoints
{
    public static IEndpointRouteBuilder MapSaliencyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/models").WithTags("Explanations").RequireAuthorization(Scopes.Infer)
            .MapPost("/{name}/saliency", Explain)
            .WithName("ExplainSaliency")
            .WithSummary("Saliency maps (Grad-CAM, Score-CAM, RISE, …) of an uploaded image for a registered model: JSON, or one PNG with Accept: image/png.")
            .WithDescription("Send the image as the body (image/png, image/jpeg, application/dicom, NIfTI) or several as multipart/form-data " +
                $"(field 'image', up to {ExplainExecution.MaxImagesPerRequest}: one batched run). The image is normalised as the model's training data was; " +
                "a size other than the model's is resized only when its manifest allows it.")
            .WithMetadata(new ImageUploadMetadata(ExplainExecution.MaxImagesPerRequest), new PngAlternativeMetadata(), RequestBodyLimit.ForImages(app))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status409Conflict) // model-task-mismatch: not a classifier (names the route that serves it)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests) // rate-limited: requests, or explanation work per key
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // model loading, explain-busy or decode-busy (Retry-After)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout); // explanation-deadline-exceeded
        return app;
    }

    public static async Task<Results<SizedJson<SaliencyResponse>, FileContentHttpResult, ProblemHttpResult>> Explain(
        string name,
        HttpRequest request,
        [FromQuery(Name = "method"), ParameterExample("gradcam"), Description("Saliency method; repeat it or separate with commas for several, or 'all' (every method this model supports). Default gradcam. Known: cam, gradcam, gradcampp, xgradcam, layercam, hirescam, scorecam, ablationcam, eigencam, gradient, smoothgrad, integratedgradients, occlusion, rise.")] string[]? method,
        [FromQuery, ParameterExample("abnormal"), Description("The class to explain: a class name or an index. Default: each image's predicted class.")] string? target,
        [FromQuery, Description("Model version. Default: the latest.")] int? version,
        [FromQuery, ParameterExample("overlay"), Description("With Accept: image/png: overlay (default; the map over the image), map (the normalised map as a 16-bit grey PNG at the image's size) or heatmap (coloured).")] string? render,
        [FromQuery, ParameterExample("inferno"), Description("Colour map for overlay and heatmap: inferno (default), viridis, coolwarm (default for signed maps).")] string? colormap,
        [FromQuery, Description("JSON: also return each raw map as base64 little-endian float32 at the model's input size.")] bool? raw,
        [AsParameters] SaliencySettingsQuery settings,
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

        if (settings.Validate() is { } invalidSetting)
        {
            return ImageUploadReader.Invalid(invalidSetting);
        }

        var renderAs = SaliencyRender.Overlay;
        if (render is not null && (!Enum.TryParse(render, ignoreCase: true, out renderAs) || !Enum.IsDefined(renderAs)))
        {
            return ImageUploadReader.Invalid($"Unknown render '{Echo.Value(render)}'; known: overlay, map, heatmap.");
        }

        ColorMap? colors = null;
        if (colormap is not null && !ColorMap.TryGet(colormap, out colors))
        {
            return ImageUploadReader.Invalid($"Unknown colormap '{Echo.Value(colormap)}'; known: {string.Join(", ", ColorMap.Names)}.");
        }

        var (served, problem) = ExplainExecution.Resolve(name, version, registry, cache);
        if (served is null)
        {
            return problem!;
        }

        var (methods, targetClass, choiceProblem) = ExplainExecution.Choose(served, method, target, cache);
        if (methods is null)
        {
            return choiceProblem!;
        }

        var (images, decodeProblem) = await decoder.DecodeManyAsync(request, query, ExplainExecution.MaxImagesPerRequest, cancellationToken);
        if (images is null)
        {
            return decodeProblem!;
        }

        if (format == ResponseFormat.Png && (images.Count != 1 || methods.Count != 1))
        {
            return ImageUploadReader.Invalid($"Accept: image/png answers one method for one image; got {methods.Count} method(s) and {images.Count} image(s). Ask for application/json.");
        }

        var inputs = new List<float[]>(images.Count);
        foreach (var image in images)
        {
            var (input, shapeProblem) = ModelInputs.Prepare(image, served.Manifest.Input, inputs.Count, images.Count);
            if (input is null)
            {
                return shapeProblem!;
            }

            inputs.Add(input);
        }

        var options = settings.ToOptions();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Every check above is cheap and answers at once; only the compute waits for a slot.
        var (run, runProblem) = await admitted.RunAsync(request.HttpContext, served, inputs, methods, targetClass, options, cache);
        if (run is null)
        {
            return runProblem!;
        }

        if (format == ResponseFormat.Png)
        {
            var map = run.Images[0].Maps[0].Map;
            return TypedResults.File(SaliencyRendering.Png(map, images[0], renderAs, colors), "image/png");
        }

        return new SizedJson<SaliencyResponse>(SaliencyResponses.From(served, images, run, raw == true, options.Seed, clock.Elapsed.TotalMilliseconds));
    }
}
