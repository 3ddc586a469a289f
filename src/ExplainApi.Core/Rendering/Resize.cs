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
        var result = new float[(long)outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var (y0, y1, wy) = rows[y];
            var top = source.Slice(y0 * width, width);
            var bottom = source.Slice(y1 * width, width);
            for (var x = 0; x < outWidth; x++)
            {
                var (x0, x1, wx) = cols[x];
                var upper = ((1 - wx) * top[x0]) + (wx * top[x1]);
                var lower = ((1 - wx) * bottom[x0]) + (wx * bottom[x1]);
                result[(y * outWidth) + x] = ((1 - wy) * upper) + (wy * lower);
            }
        }

        return result;
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
