using System.Buffers.Binary;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// Turns the uploaded parts into what <see cref="DenseCrf"/> takes, each step answering a problem rather than throwing:
/// the guide image, the mask's class indices, or the validated probabilities. Pixels in details are (x, y).
/// </summary>
public static class RefineInputs
{
    /// <summary>
    /// The appearance kernel's image: the decoded image through its display window (the one /v1/images/render draws) on
    /// 0–255, unrounded, since θβ counts levels of that scale as pydensecrf's uint8 images do. Grey → (x, y, I); RGB → (x, y, r, g, b).
    /// </summary>
    public static (CrfImage? Guide, ProblemHttpResult? Problem) Guide(ImageTensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
        {
            return (null, SegmentationProblems.Invalid($"The image has {image.Channels} channels; the CRF takes 1 (grey) or 3 (RGB)."));
        }

        var (unit, n, channels) = (image.ToNormalized(), image.PixelCount, image.Channels);
        var pixels = new float[unit.Length];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < n; p++)
            {
                pixels[(p * channels) + c] = unit[(c * n) + p] * 255f;
            }
        }

        return (new CrfImage(image.Height, image.Width, channels, pixels), null);
    }

    /// <summary>
    /// Before decoding: the mask must be a grey 8- or 16-bit PNG of the image's size (decoders rescale lower depths and
    /// resolve palettes, losing the indices). The decoder checks the rest of the file (CRCs, data).
    /// </summary>
    public static ProblemHttpResult? CheckMaskHeader(byte[] mask, ImageTensor image)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(image);
        // ISO/IEC 15948 §5.2, §11.2.2: the signature, then IHDR: width and height (big-endian), bit depth, colour type (0 = grey).
        if (ImageFormatSniffer.Sniff(mask) != ImageFormat.Png || mask.Length < 26 || !mask.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return SegmentationProblems.Invalid("The mask must be a PNG (8- or 16-bit grey, pixel value = class index).");
        }

        var (width, height, depth, colour) = (BinaryPrimitives.ReadUInt32BigEndian(mask.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(mask.AsSpan(20)), mask[24], mask[25]);
        if (colour != 0 || depth is not (8 or 16))
        {
            return SegmentationProblems.Invalid($"The mask must be an 8- or 16-bit grey PNG without alpha (pixel value = class index); it has colour type {colour} at {depth} bits.");
        }

        return width == image.Width && height == image.Height ? null
            : SegmentationProblems.Invalid($"The mask is {width}×{height} but the image is {image.Width}×{image.Height} (width×height); they must match.");
    }

    /// <summary>
    /// Class index per pixel, −1 where the mask holds its depth's maximum (255 or 65535: unknown, PASCAL VOC's "void"),
    /// and the label count: <paramref name="labels"/>, or the largest index + 1 (at least 2).
    /// </summary>
    public static (int[]? Labels, int Count, ProblemHttpResult? Problem) MaskLabels(ImageTensor mask, int? labels)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var unknown = (1 << mask.Source.BitsStored) - 1;
        var values = new int[mask.PixelCount];
        var (max, first) = (-1, -1);
        for (var i = 0; i < values.Length; i++)
        {
            var v = (int)mask.Data[i];
            values[i] = v == unknown ? -1 : v;
            if (values[i] > max)
            {
                max = values[i];
                first = i;
            }
        }

        var count = labels ?? Math.Max(2, max + 1);
        if (max >= count || count > RefineQuery.MaxLabels)
        {
            return (null, 0, SegmentationProblems.Invalid(
                $"Mask pixel {At(first, mask.Width)} holds class {max}, but {(labels is null ? $"at most {RefineQuery.MaxLabels} classes are supported" : $"labels={labels} allows 0..{labels - 1}")} ({unknown} marks unknown pixels)."));
        }

        return (values, count, null);
    }

    /// <summary>Little-endian float32 C×H×W, each pixel's C values in [0, 1] summing to 1 (± 1e-3) or all 0 (unknown).</summary>
    public static (float[]? Probabilities, ProblemHttpResult? Problem) Probabilities(byte[] bytes, int labels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var plane = (long)height * width * sizeof(float);
        var expected = labels * plane;
        if (bytes.LongLength != expected)
        {
            return (null, SegmentationProblems.Invalid(bytes.LongLength % plane == 0
                ? $"The probabilities hold {bytes.LongLength / plane} maps of {width}×{height} but labels={labels}; expected {expected} bytes (labels × height × width × 4)."
                : $"The probabilities are {bytes.LongLength} bytes, not whole {width}×{height} float32 maps of the image's size; expected {expected} bytes (labels × height × width × 4, little-endian float32, C×H×W)."));
        }

        var values = RawFloat32.Decode(bytes);
        return CrfUnary.ValidateProbabilities(values, labels, height * width) is { } error
            ? (null, SegmentationProblems.Invalid($"{error} Pixels are numbered row-major: i = y × {width} + x."))
            : (values, null);
    }

    /// <summary>The labelling the input states: the mask's classes, or each pixel's most probable class (−1: unknown, all 0).</summary>
    public static int[] StatedLabels(float[] probabilities, int labels, int pixels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var stated = new int[pixels];
        var best = new float[pixels];
        Array.Fill(stated, -1);
        for (var c = 0; c < labels; c++)
        {
            var map = probabilities.AsSpan(c * pixels, pixels);
            for (var i = 0; i < pixels; i++)
            {
                if (map[i] > best[i])
                {
                    (best[i], stated[i]) = (map[i], c);
                }
            }
        }

        return stated;
    }

    private static string At(int index, int width) => $"({index % width}, {index / width})";
}
