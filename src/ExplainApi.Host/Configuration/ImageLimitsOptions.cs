using System.ComponentModel.DataAnnotations;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Host.Configuration;

/// <summary>The "ExplainApi:Limits" section: what one uploaded image may be, checked before decoding.</summary>
public sealed class ImageLimitsOptions
{
    public const string Section = "ExplainApi:Limits";

    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxImageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Every route's body cap unless it raises its own (images, datasets, model import, KServe tensors).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1, 65535)]
    public int MaxWidth { get; set; } = 4096;

    [Range(1, 65535)]
    public int MaxHeight { get; set; } = 4096;

    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 16L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxVoxels { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Decoded pixels all requests may hold at once (decode, render, inspect, saliency upload), reserved from each
    /// image's header before its buffers exist and held until the response is written; beyond it 503 decode-busy.
    /// 4 × 4096² pixels: at up to 3 float planes plus render buffers (≈ 20 bytes a pixel) about 1.3 GB, sized for a 4 GB container.
    /// </summary>
    [Range(1, int.MaxValue)]
    public long MaxDecodingPixelsInFlight { get; set; } = 4L * 4096 * 4096;

    public ImageLimits ToImageLimits() => new()
    {
        MaxBytes = MaxImageBytes,
        MaxWidth = MaxWidth,
        MaxHeight = MaxHeight,
        MaxPixels = MaxPixels,
        MaxVoxels = MaxVoxels,
    };
}
