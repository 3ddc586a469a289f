using System.Numerics;

namespace ExplainApi.Core.Rendering;

/// <summary>Resampling of single float planes (CAMs, saliency maps) to an image's size.</summary>
public static class Resize
{
    /// <summary>
    /// Bilinear resize of a row-major <paramref name="height"/> x <paramref name="width"/> plane with
    /// PyTorch's <c>F.interpolate(mode="bilinear", align_corners=False)</c> semantics: pixel centres
    /// are aligned, so output index i samples source coordinate (i + 0.5) * in / out - 0.5, clamped
    /// below at 0 and at the last index above (edges are replicated, never extrapolated).
    /// </summary>
    public static float[] Bilinear(ReadOnlySpan<float> source, int height, int width, int outHeight, int outWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        if (source.Length != (long)height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} values, got {source.Length}.", nameof(source));
        }

        var rows = Taps(height, outHeight);
        var cols = Taps(width, outWidth);
        // Separable: each source row is interpolated along x once (maps are upsampled ~16×, so rows repeat), then output rows
        // blend two of those; the same float operations in the same order as blending the four taps per pixel.
        var across = new float[(long)height * outWidth];
        for (var y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            var line = across.AsSpan(y * outWidth, outWidth);
            for (var x = 0; x < outWidth; x++)
            {
                var (x0, x1, wx) = cols[x];
                line[x] = ((1 - wx) * row[x0]) + (wx * row[x1]);
            }
        }

        var result = new float[(long)outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var (y0, y1, wy) = rows[y];
            Blend(across.AsSpan(y0 * outWidth, outWidth), across.AsSpan(y1 * outWidth, outWidth), wy, result.AsSpan(y * outWidth, outWidth));
        }

        return result;
    }

    private static void Blend(ReadOnlySpan<float> upper, ReadOnlySpan<float> lower, float weight, Span<float> output)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> keep = new(1 - weight), take = new(weight);
            for (; x <= output.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                ((keep * new Vector<float>(upper[x..])) + (take * new Vector<float>(lower[x..]))).CopyTo(output[x..]);
            }
        }

        for (; x < output.Length; x++)
        {
            output[x] = ((1 - weight) * upper[x]) + (weight * lower[x]);
        }
    }

    // For each output index: the two source indices and the weight of the second, computed in float
    // as PyTorch's CPU kernel does (area_pixel_compute_source_index with scale = in / out).
    private static (int I0, int I1, float W)[] Taps(int inSize, int outSize)
    {
        var taps = new (int, int, float)[outSize];
        var scale = (float)inSize / outSize;
        for (var i = 0; i < outSize; i++)
        {
            var src = Math.Max((scale * (i + 0.5f)) - 0.5f, 0f);
            var i0 = Math.Min((int)src, inSize - 1);
            var i1 = Math.Min(i0 + 1, inSize - 1);
            taps[i] = (i0, i1, src - i0);
        }

        return taps;
    }
}
