namespace ExplainApi.Core.Datasets;

/// <summary>
/// Separable Gaussian smoothing of one plane with scipy.ndimage.gaussian_filter's conventions: weights
/// exp(−x²/2σ²) normalised to sum 1 (applied in float32) over a radius of ⌊4σ + 0.5⌋ (truncate = 4), and "reflect"
/// boundaries (d c b a | a b c d | d c b a). Rows then columns: O(HW·r), not O(HW·r²).
/// </summary>
public static class GaussianBlur
{
    public static void Apply(Span<float> plane, int height, int width, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        if (plane.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} values, got {plane.Length}.", nameof(plane));
        }

        var kernel = Array.ConvertAll(Kernel(sigma), k => (float)k);
        var radius = kernel.Length / 2;
        var padded = new float[Math.Max(height, width) + (2 * radius)];
        for (var y = 0; y < height; y++)
        {
            Convolve(plane.Slice(y * width, width), kernel, padded);
        }

        // Columns through a transposed copy, so both passes run over contiguous memory.
        var transposed = new float[plane.Length];
        Transpose(plane, height, width, transposed);
        for (var x = 0; x < width; x++)
        {
            Convolve(transposed.AsSpan(x * height, height), kernel, padded);
        }

        Transpose(transposed, width, height, plane);
    }

    public static double[] Kernel(double sigma)
    {
        var radius = (int)((4.0 * sigma) + 0.5);
        var kernel = new double[(2 * radius) + 1];
        var sum = 0.0;
        for (var i = -radius; i <= radius; i++)
        {
            kernel[i + radius] = Math.Exp(-(i * i) / (2.0 * sigma * sigma));
            sum += kernel[i + radius];
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        return kernel;
    }

    // The line is copied with reflected margins first, so the inner loop needs no bounds logic.
    private static void Convolve(Span<float> values, float[] kernel, float[] padded)
    {
        var radius = kernel.Length / 2;
        for (var i = 0; i < values.Length + (2 * radius); i++)
        {
            padded[i] = values[Reflect(i - radius, values.Length)];
        }

        for (var i = 0; i < values.Length; i++)
        {
            var sum = 0f;
            for (var k = 0; k < kernel.Length; k++)
            {
                sum += kernel[k] * padded[i + k];
            }

            values[i] = sum;
        }
    }

    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                destination[(c * rows) + r] = source[(r * columns) + c];
            }
        }
    }

    // scipy "reflect": the edge sample is repeated (half-sample symmetric); loops for kernels wider than the line.
    private static int Reflect(int i, int length)
    {
        while (i < 0 || i >= length)
        {
            i = i < 0 ? -i - 1 : (2 * length) - i - 1;
        }

        return i;
    }
}
