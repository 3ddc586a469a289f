using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// RISE's masks (Petsiuk et al., BMVC 2018, §3.2), drawn in order from one seeded generator: an s×s grid of
/// Bernoulli(p) cells, upsampled bilinearly to (s+1)·⌈H/s⌉ × (s+1)·⌈W/s⌉ and cropped to H×W at a random
/// shift in [0, cell) per axis, as the authors' code does. Public so a reference computation can consume
/// exactly the masks <see cref="Rise"/> uses.
/// </summary>
public sealed class RiseMaskSampler
{
    private readonly Random random;
    private readonly int gridSize;
    private readonly double keepProbability;
    private readonly int height;
    private readonly int width;

    public RiseMaskSampler(int height, int width, int gridSize, double keepProbability, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        // The seeded System.Random (its legacy, fixed algorithm); a seed below 2³¹ is used as it is.
        random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        (this.height, this.width, this.gridSize, this.keepProbability) = (height, width, gridSize, keepProbability);
    }

    /// <summary>Writes the next H×W mask into <paramref name="mask"/>.</summary>
    public void Next(Span<float> mask)
    {
        if (mask.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} values, got {mask.Length}.", nameof(mask));
        }

        var grid = new float[gridSize * gridSize];
        for (var i = 0; i < grid.Length; i++)
        {
            grid[i] = random.NextDouble() < keepProbability ? 1f : 0f;
        }

        var (cellHeight, cellWidth) = ((height + gridSize - 1) / gridSize, (width + gridSize - 1) / gridSize);
        var (shiftY, shiftX) = (random.Next(cellHeight), random.Next(cellWidth));
        var upWidth = (gridSize + 1) * cellWidth;
        var up = Resize.Bilinear(grid, gridSize, gridSize, (gridSize + 1) * cellHeight, upWidth);
        for (var y = 0; y < height; y++)
        {
            up.AsSpan(((y + shiftY) * upWidth) + shiftX, width).CopyTo(mask.Slice(y * width, width));
        }
    }
}
