using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// RISE (Petsiuk, Das &amp; Saenko, "Randomized Input Sampling for Explanation of Black-box Models",
/// BMVC 2018, eq. 6 and §3.2): N binary s×s grids with P(1) = p, each upsampled bilinearly to
/// (s+1)·⌈H/s⌉ × (s+1)·⌈W/s⌉ and cropped to H×W at a random shift in [0, cell), as the authors' code
/// does; map = Σ_i softmax_c(f(x ∘ m_i))·m_i / (N·p). Masks are drawn in order from one seeded
/// <see cref="Random"/> and built one batch at a time, so memory stays at MaxBatch masks and the map
/// does not depend on the batch size.
/// </summary>
public sealed class Rise : IPerturbationMethod
{
    private readonly int masks;
    private readonly int gridSize;
    private readonly double keepProbability;
    private readonly int seed;

    public Rise(int masks = 2000, int gridSize = 7, double keepProbability = 0.5, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(masks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        if (!(keepProbability > 0 && keepProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keepProbability), keepProbability, "p must lie in (0, 1].");
        }

        (this.masks, this.gridSize, this.keepProbability, this.seed) = (masks, gridSize, keepProbability, seed);
    }

    public string Name => "rise";

    public SaliencyMap Compute(ForwardContext model, float[] image, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(targetClass);
        var pixels = model.Pixels;
        var random = new Random(seed);
        var sum = new double[pixels];
        var buffer = new float[Math.Min(model.MaxBatch, masks) * pixels];
        for (var start = 0; start < masks; start += model.MaxBatch)
        {
            var chunk = Math.Min(model.MaxBatch, masks - start);
            for (var i = 0; i < chunk; i++)
            {
                DrawMask(random, model.Height, model.Width, buffer.AsSpan(i * pixels, pixels));
            }

            // One chunk is one forward call: TargetProbabilities batches by the same MaxBatch.
            var scores = model.TargetProbabilities(chunk, targetClass, (i, destination) =>
            {
                var mask = buffer.AsSpan(i * pixels, pixels);
                for (var c = 0; c < model.Channels; c++)
                {
                    for (var j = 0; j < pixels; j++)
                    {
                        destination[(c * pixels) + j] = image[(c * pixels) + j] * mask[j];
                    }
                }
            });

            for (var i = 0; i < chunk; i++)
            {
                var mask = buffer.AsSpan(i * pixels, pixels);
                for (var j = 0; j < pixels; j++)
                {
                    sum[j] += scores[i] * mask[j];
                }
            }
        }

        var scale = 1.0 / (masks * keepProbability);
        return PerturbationMaps.Create(Name, targetClass, model.Height, model.Width, Array.ConvertAll(sum, v => v * scale));
    }

    private void DrawMask(Random random, int height, int width, Span<float> mask)
    {
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
