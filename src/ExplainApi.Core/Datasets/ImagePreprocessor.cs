using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Turns a decoded upload into model input as an <see cref="InputNormalization"/> describes: the image's own
/// intensity window to [0, 1], channels matched (RGB to luma for grey models, grey replicated for RGB models),
/// bilinear resize (PyTorch align_corners=False), then (v − mean[c]) / std[c] — (v − 0.5) / 0.5 for
/// <see cref="InputNormalization.Window"/> — or, for <see cref="InputNormalization.PerImageMinMaxSymmetric"/>, the
/// image's min–max scaling to [−1, 1] first. Training (dataset import) and serving both call it, so a served image
/// is normalised exactly as the training images were.
/// </summary>
public static class ImagePreprocessor
{
    // ITU-R BT.601 luma weights, as PIL's convert("L") and torchvision's rgb_to_grayscale use.
    private const float LumaR = 0.299f, LumaG = 0.587f, LumaB = 0.114f;

    /// <returns>CHW float32, <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</returns>
    public static float[] ToModelInput(ImageTensor image, int channels, int height, int width) =>
        ToModelInput(image, channels, height, width, InputNormalization.Window(channels));

    /// <returns>CHW float32, <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</returns>
    public static float[] ToModelInput(ImageTensor image, int channels, int height, int width, InputNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(normalization);
        if (image.Channels is not (1 or 3) || channels is not (1 or 3))
        {
            throw new ArgumentException($"Converts 1 or 3 channels to 1 or 3; got {image.Channels} to {channels}.");
        }

        var windowed = image.ToNormalized();
        var planes = new float[channels][];
        var pixels = image.PixelCount;
        if (channels == 1 && image.Channels == 3)
        {
            planes[0] = new float[pixels];
            for (var i = 0; i < pixels; i++)
            {
                planes[0][i] = (LumaR * windowed[i]) + (LumaG * windowed[pixels + i]) + (LumaB * windowed[(2 * pixels) + i]);
            }
        }
        else
        {
            for (var c = 0; c < channels; c++)
            {
                planes[c] = windowed.AsSpan((image.Channels == 1 ? 0 : c) * pixels, pixels).ToArray();
            }
        }

        var result = new float[channels * height * width];
        for (var c = 0; c < channels; c++)
        {
            var plane = image.Height == height && image.Width == width
                ? planes[c]
                : Resize.Bilinear(planes[c], image.Height, image.Width, height, width);
            plane.CopyTo(result, c * plane.Length);
        }

        if (normalization.Kind == InputNormalization.PerImageMinMaxSymmetric)
        {
            ScaleToSymmetric(result);
        }

        var outPixels = height * width;
        for (var c = 0; c < channels; c++)
        {
            var mean = normalization.Mean[Math.Min(c, normalization.Mean.Count - 1)];
            var std = normalization.Std[Math.Min(c, normalization.Std.Count - 1)];
            for (var i = c * outPixels; i < (c + 1) * outPixels; i++)
            {
                result[i] = (result[i] - mean) / std;
            }
        }

        return result;
    }

    /// <summary>min–max to [−1, 1] over the whole image (a constant image becomes 0), as the squares generator scales.</summary>
    private static void ScaleToSymmetric(float[] values)
    {
        var (min, max) = (values.Min(), values.Max());
        var range = max - min;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = range > 0 ? (((values[i] - min) / range) * 2f) - 1f : 0f;
        }
    }

    /// <summary>
    /// A mask image to 0/1 bytes: a pixel is inside when any channel's stored value is non-zero; resized
    /// by nearest neighbour (PyTorch mode="nearest": source index ⌊i · in / out⌋) so it stays binary.
    /// </summary>
    public static byte[] ToMask(ImageTensor mask, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new byte[height * width];
        for (var y = 0; y < height; y++)
        {
            var sourceY = (int)((long)y * mask.Height / height);
            for (var x = 0; x < width; x++)
            {
                var sourceX = (int)((long)x * mask.Width / width);
                var at = (sourceY * mask.Width) + sourceX;
                for (var c = 0; c < mask.Channels; c++)
                {
                    if (mask.Data[(c * mask.PixelCount) + at] != 0)
                    {
                        result[(y * width) + x] = 1;
                        break;
                    }
                }
            }
        }

        return result;
    }
}
