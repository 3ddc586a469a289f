using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Imaging;

/// <summary>
/// Image input for people and integrations checking what the service reads from their files before
/// they ask for explanations: geometry, window, statistics, and a rendering of what the models will see.
/// </summary>
public static class ImageEndpoints
{
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/images")
            .WithTags("Images")
            .RequireAuthorization(Scopes.Infer)
            .WithMetadata(new ImageUploadMetadata(), RequestBodyLimit.ForImages(app))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable); // decode-busy (Retry-After)

        group.MapPost("/inspect", Inspect)
            .WithName("InspectImage")
            .WithSummary("Decode an image and describe it: size, channels, source attributes, intensity window, statistics.");
        group.MapPost("/render", ImageRenderEndpoint.Render)
            .WithName("RenderImage")
            .WithSummary("Decode an image and return it as the models see it: a windowed PNG, a colour-mapped PNG, or raw float32.")
            .Produces(StatusCodes.Status200OK, null, "image/png", "application/octet-stream");
        return app;
    }

    public static async Task<Results<Ok<ImageInspection>, ProblemHttpResult>> Inspect(
        HttpRequest request, [AsParameters] DecodeQuery query, ImageRequestDecoder decoder, CancellationToken cancellationToken)
    {
        var (image, problem) = await decoder.DecodeAsync(request, query, cancellationToken);
        return image is null ? problem! : TypedResults.Ok(ImageInspection.From(image));
    }
}
