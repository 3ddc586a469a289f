using System.ComponentModel;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Errors;
using ExplainApi.Host.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Imaging;

/// <summary>POST /v1/images/render: what the models will see, as a picture or as numbers.</summary>
public static class ImageRenderEndpoint
{
    public const string ShapeHeader = "X-Image-Shape";

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Render(
        HttpRequest request,
        HttpResponse response,
        [AsParameters] DecodeQuery query,
        [FromQuery, ParameterExample("heatmap"), Description("image (default): the windowed image (8-bit PNG); heatmap: the windowed intensity through a colour map (PNG); raw: the source values as little-endian float32, CHW, shape in X-Image-Shape.")] string? view,
        [FromQuery, ParameterExample("inferno"), Description("Colour map for view=heatmap: inferno (default), viridis, coolwarm.")] string? colormap,
        ImageRequestDecoder decoder,
        CancellationToken cancellationToken)
    {
        var renderView = RenderView.Image;
        if (view is not null && (!Enum.TryParse(view, ignoreCase: true, out renderView) || !Enum.IsDefined(renderView)))
        {
            return ImageUploadReader.Invalid($"Unknown view '{Echo.Value(view)}'; known: image, heatmap, raw.");
        }

        var map = ColorMap.Inferno;
        if (colormap is not null && !ColorMap.TryGet(colormap, out map))
        {
            return ImageUploadReader.Invalid($"Unknown colormap '{Echo.Value(colormap)}'; known: {string.Join(", ", ColorMap.Names)}.");
        }

        var (image, problem) = await decoder.DecodeAsync(request, query, cancellationToken);
        if (image is null)
        {
            return problem!;
        }

        switch (renderView)
        {
            case RenderView.Raw:
                var raw = RawFloat32.Encode(image.Data, image.Channels, image.Height, image.Width);
                response.Headers[ShapeHeader] = raw.ShapeText;
                return TypedResults.File(raw.Bytes, RawFloat32.MediaType);
            case RenderView.Heatmap:
                return TypedResults.File(DisplayRenderer.RenderColorMappedPng(image, map), "image/png");
            default:
                return TypedResults.File(DisplayRenderer.RenderPng(image), "image/png");
        }
    }
}
