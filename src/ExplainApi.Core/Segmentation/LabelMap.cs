namespace ExplainApi.Core.Segmentation;

/// <summary>A class's pixels in a label map: how many, and the smallest box holding them (null when there are none).</summary>
public sealed record LabelRegion(int ClassIndex, long Area, PixelBox? BoundingBox);

/// <summary>An axis-aligned box in pixels: left column, top row, width and height.</summary>
public sealed record PixelBox(int X, int Y, int Width, int Height);

/// <summary>Per-pixel class indices (row-major H×W bytes, 0 = background) from a segmenter's output, and what they hold.</summary>
public static class LabelMap
{
    /// <summary>The class of highest score per pixel (the first maximum, as torch.argmax) of K planes [K, H, W].</summary>
    public static byte[] ArgMax(ReadOnlySpan<float> scores, int classes, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, 256);
        var plane = height * width;
        if (scores.Length != (long)classes * plane)
        {
            throw new ArgumentException($"Expected {classes}×{height}×{width} scores, got {scores.Length}.", nameof(scores));
        }
        var labels = new byte[plane];
        for (var p = 0; p < plane; p++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                best = scores[(k * plane) + p] > scores[(best * plane) + p] ? k : best;
            }
            labels[p] = (byte)best;
        }
        return labels;
    }

    /// <summary>
    /// Nearest-neighbour resize with PyTorch's <c>mode="nearest"</c> (source index ⌊o · in / out⌋), so labels stay labels:
    /// no class appears that the model did not predict.
    /// </summary>
    public static byte[] ResizeNearest(ReadOnlySpan<byte> labels, int height, int width, int outHeight, int outWidth)
    {
        if (labels.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}×{width} labels, got {labels.Length}.", nameof(labels));
        }
        if (height == outHeight && width == outWidth)
        {
            return labels.ToArray();
        }
        var resized = new byte[outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var row = (int)Math.Min((long)y * height / outHeight, height - 1) * width;
            for (var x = 0; x < outWidth; x++)
            {
                resized[(y * outWidth) + x] = labels[row + (int)Math.Min((long)x * width / outWidth, width - 1)];
            }
        }
        return resized;
    }

    /// <summary>Area and bounding box of every class 0..<paramref name="classes"/> − 1.</summary>
    public static IReadOnlyList<LabelRegion> Regions(ReadOnlySpan<byte> labels, int width, int classes)
    {
        var (area, left, top, right, bottom) = (new long[classes], new int[classes], new int[classes], new int[classes], new int[classes]);
        Array.Fill(left, int.MaxValue);
        Array.Fill(top, int.MaxValue);
        Array.Fill(right, -1);
        Array.Fill(bottom, -1);
        for (var p = 0; p < labels.Length; p++)
        {
            var (k, x, y) = (labels[p], p % width, p / width);
            if (k >= classes)
            {
                throw new ArgumentException($"Pixel {p} has class {k}; there are {classes}.", nameof(labels));
            }
            area[k]++;
            (left[k], top[k], right[k], bottom[k]) = (Math.Min(left[k], x), Math.Min(top[k], y), Math.Max(right[k], x), Math.Max(bottom[k], y));
        }
        return [.. Enumerable.Range(0, classes).Select(k => new LabelRegion(k, area[k],
            area[k] == 0 ? null : new PixelBox(left[k], top[k], right[k] - left[k] + 1, bottom[k] - top[k] + 1)))];
    }
}
