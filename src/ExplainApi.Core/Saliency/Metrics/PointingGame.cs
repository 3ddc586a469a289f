namespace ExplainApi.Core.Saliency.Metrics;

/// <summary>
/// The pointing game (Zhang et al., "Top-down Neural Attention by Excitation Backprop", ECCV 2016;
/// TorchRay's implementation): a hit when the map's maximum lies within <c>tolerance</c> pixels
/// (Euclidean) of the ground-truth region, 15 px by default.
/// </summary>
public static class PointingGame
{
    public const int DefaultTolerance = 15;

    /// <summary>Whether the first (row-major) arg-max of <paramref name="map"/> is within the tolerance of a mask pixel.</summary>
    public static bool IsHit(ReadOnlySpan<float> map, ReadOnlySpan<bool> mask, int height, int width, int tolerance = DefaultTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (map.Length != (long)height * width || mask.Length != map.Length)
        {
            throw new ArgumentException($"Expected {height}x{width} values in map and mask, got {map.Length} and {mask.Length}.", nameof(map));
        }

        if (!mask.Contains(true))
        {
            throw new ArgumentException("The pointing game needs a non-empty ground-truth region.", nameof(mask));
        }

        var (row, column) = ArgMax(map, width);
        for (var y = Math.Max(0, row - tolerance); y <= Math.Min(height - 1, row + tolerance); y++)
        {
            for (var x = Math.Max(0, column - tolerance); x <= Math.Min(width - 1, column + tolerance); x++)
            {
                var (dy, dx) = ((long)y - row, (long)x - column);
                if (mask[(y * width) + x] && (dy * dy) + (dx * dx) <= (long)tolerance * tolerance)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The row and column of the first largest finite value.</summary>
    public static (int Row, int Column) ArgMax(ReadOnlySpan<float> map, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var best = -1;
        for (var i = 0; i < map.Length; i++)
        {
            if (float.IsFinite(map[i]) && (best < 0 || map[i] > map[best]))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            throw new ArgumentException("The map has no finite value.", nameof(map));
        }

        return (best / width, best % width);
    }
}
