using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// RISE (Petsiuk, Das &amp; Saenko, "Randomized Input Sampling for Explanation of Black-box Models",
/// BMVC 2018, eq. 6): map = Σ_i softmax_c(f(x ∘ m_i))·m_i / (N·p) over N masks m_i from
/// <see cref="RiseMaskSampler"/> (s×s grids, P(1) = p). Masks are drawn in order from one seeded generator
/// and built one batch at a time, so memory stays at MaxBatch masks and the map does not depend on the
/// batch size. Through <see cref="ISaliencyMethod"/>, N and the seed come from <see cref="SaliencyOptions"/>.
/// </summary>
public sealed class Rise : ISaliencyMethod
{
    private readonly int masks;
    private readonly int gridSize;
    private readonly double keepProbability;
    private readonly ulong seed;

    public Rise(int masks = 2000, int gridSize = 7, double keepProbability = 0.5, ulong seed = 0)
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

    public SaliencyNeeds Needs => SaliencyNeeds.ForwardOnly;

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        return new Rise(options.RiseMasks, gridSize, keepProbability, options.Seed).Compute(context.Batches, context.Image, context.TargetClass);
    }

    public SaliencyMap Compute(ForwardContext model, float[] image, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(targetClass);
        var pixels = model.Pixels;
        var sampler = new RiseMaskSampler(model.Height, model.Width, gridSize, keepProbability, seed);
        var sum = new double[pixels];
        var buffer = new float[Math.Min(model.MaxBatch, masks) * pixels];
        for (var start = 0; start < masks; start += model.MaxBatch)
        {
            var chunk = Math.Min(model.MaxBatch, masks - start);
            for (var i = 0; i < chunk; i++)
            {
                sampler.Next(buffer.AsSpan(i * pixels, pixels));
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
        return RawMaps.Create(Name, targetClass, model.Height, model.Width, Array.ConvertAll(sum, v => v * scale));
    }
}
