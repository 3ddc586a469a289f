using System.Reflection;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Onnx;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Platform;

/// <summary>Server metadata: versions, execution providers, accepted formats and limits.</summary>
public static class PlatformEndpoints
{
    public static IEndpointRouteBuilder MapPlatformEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Platform");
        group.MapGet("/v1/platform", Describe).WithName("DescribePlatform")
            .WithSummary("Versions, the ONNX Runtime execution provider and libtorch device in use, accepted image formats, colour maps, limits and the explanations running and queued.");
        group.MapGet("/v2", Describe).WithName("KServeServerMetadata").WithSummary("KServe V2 server metadata (name, version, extensions) with the same details.");
        return app;
    }

    public static Ok<PlatformInfo> Describe(OnnxRuntimeInfo onnx, TorchRuntimeProbe torch, ImageReader reader, ImageLimits limits, Explaining.Admission.ExplainAdmission admission)
    {
        var (runtime, error) = torch.Result;
        var version = typeof(PlatformEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return TypedResults.Ok(new PlatformInfo(
            "explainapi",
            version.Split('+')[0],
            ["health", "model_repository"],
            onnx,
            runtime?.Info,
            error,
            reader.Formats.Select(f => f.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList(),
            ColorMap.Names,
            new ImageLimitsInfo(limits.MaxBytes, limits.MaxWidth, limits.MaxHeight, limits.MaxPixels, limits.MaxVoxels),
            admission.Info));
    }
}
