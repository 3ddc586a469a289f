using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Rendering;

/// <summary>PNGs of a label map (row-major H×W class indices, 0 = background): as grey levels, one class as a mask, or in colour over the image.</summary>
public static class LabelMapRenderer
{
    /// <summary>
    /// Class k ≥ 1 is drawn in colour k − 1 (cycling): Okabe and Ito's colour-blind-safe palette (2008) without its black.
    /// Background is not drawn.
    /// </summary>
    public static IReadOnlyList<(byte R, byte G, byte B)> Palette { get; } =
        [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178), (213, 94, 0), (204, 121, 167)];

    /// <summary>8-bit grey PNG whose level is the class index.</summary>
    public static byte[] LabelsPng(byte[] labels, int height, int width) => PngEncoder.Encode(labels, width, height, PngPixelFormat.Grey8);

    /// <summary>8-bit grey PNG: 255 where the pixel is <paramref name="classIndex"/>, else 0.</summary>
    public static byte[] MaskPng(ReadOnlySpan<byte> labels, int height, int width, int classIndex)
    {
        var mask = new byte[labels.Length];
        for (var p = 0; p < labels.Length; p++)
        {
            mask[p] = labels[p] == classIndex ? (byte)255 : (byte)0;
        }
        return PngEncoder.Encode(mask, width, height, PngPixelFormat.Grey8);
    }

    /// <summary>RGB PNG of the image's display view with every non-background pixel blended with its class colour at <paramref name="opacity"/>.</summary>
    public static byte[] OverlayPng(ImageTensor image, ReadOnlySpan<byte> labels, float opacity = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (labels.Length != image.PixelCount)
        {
            throw new ArgumentException($"Expected {image.Height}×{image.Width} labels (the image's size), got {labels.Length}.", nameof(labels));
        }
        var pixels = image.ToNormalized();
        var (plane, colour) = (image.PixelCount, image.Channels >= 3);
        var rgb = new byte[plane * 3];
        for (var p = 0; p < plane; p++)
        {
            var k = labels[p];
            var tint = k == 0 ? default : Palette[(k - 1) % Palette.Count];
            var alpha = k == 0 ? 0f : opacity;
            for (var c = 0; c < 3; c++)
            {
                var background = pixels[((colour ? c : 0) * plane) + p] * 255f;
                var over = c == 0 ? tint.R : c == 1 ? tint.G : tint.B;
                rgb[(3 * p) + c] = (byte)MathF.Round(((1 - alpha) * background) + (alpha * over));
            }
        }
        return PngEncoder.Encode(rgb, image.Width, image.Height, PngPixelFormat.Rgb8);
    }
}
