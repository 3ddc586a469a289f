using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// RISE (Petsiuk, Das &amp; Saenko, "Randomized Input Sampling for Explanation of Black-box Models",
/// BMVC 2018) over N masks m_i from <see cref="RiseMaskSampler"/> (s×s grids, P(1) = p), with scores
/// P_i = softmax_c(f(x ∘ m_i)). <see cref="RiseScoring.Paper"/> is eq. 6, Σ_i P_i·m_i / (N·p).
/// <see cref="RiseScoring.Centered"/> (the default) is Σ_i P_i·m_i / Σ_i m_i − (1/N) Σ_i P_i, the Monte-Carlo
/// estimate of E[P | pixel kept] − E[P]. Both estimate the same ranking (eq. 6 is E[P·m]/p), but eq. 6 carries
/// the sampling noise of each pixel's own mask count Σ_i m_i: when a confident model scores almost every masked
/// copy ≈ 1, that noise (≈ 1/√(N·p) relative) dwarfs the score differences and the map shows the masks, not the
/// image (seen on the squares demo model: the same map for every image). Dividing by the pixel's own count and
/// removing the mean score cancels it. Masks are drawn in order from one seeded generator and built one batch at
/// a time, so memory stays at MaxBatch masks and the map does not depend on the batch size. Through
/// <see cref="ISaliencyMethod"/>, N, the scoring and the seed come from <see cref="SaliencyOptions"/>.
/// </summary>
public sealed class Rise : ISaliencyMethod
{
    private readonly int masks;
    private readonly int gridSize;
    private readonly double keepProbability;
    private readonly ulong seed;
    private readonly RiseScoring scoring;

    public Rise(int masks = 2000, int gridSize = 7, double keepProbability = 0.5, ulong seed = 0, RiseScoring scoring = RiseScoring.Centered)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(masks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        if (!(keepProbability > 0 && keepProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keepProbability), keepProbability, "p must lie in (0, 1].");
        }

        (this.masks, this.gridSize, this.keepProbability, this.seed, this.scoring) = (masks, gridSize, keepProbability, seed, scoring);
    }

    public string Name => "rise";

    public SaliencyNeeds Needs => SaliencyNeeds.ForwardOnly;

    /// <summary>N masked forwards.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Forward: options.RiseMasks);
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        return new Rise(options.RiseMasks, gridSize, keepProbability, options.Seed, options.RiseScoring).Compute(context.Batches, context.Image, context.TargetClass);
    }

    public SaliencyMap Compute(ForwardContext model, float[] image, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(targetClass);
        var pixels = model.Pixels;
        var sampler = new RiseMaskSampler(model.Height, model.Width, gridSize, keepProbability, seed);
        var sum = new double[pixels];
        var kept = new double[pixels];
        var scoreSum = 0.0;
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
                scoreSum += scores[i];
                for (var j = 0; j < pixels; j++)
                {
                    sum[j] += scores[i] * mask[j];
                    kept[j] += mask[j];
                }
            }
        }

        var map = new double[pixels];
        var mean = scoreSum / masks;
        for (var j = 0; j < pixels; j++)
        {
            // A pixel that no mask kept has no evidence either way: 0, the centred map's neutral value.
            map[j] = scoring == RiseScoring.Paper ? sum[j] / (masks * keepProbability)
                : kept[j] > 0 ? (sum[j] / kept[j]) - mean : 0;
        }

        return RawMaps.Create(Name, targetClass, model.Height, model.Width, map, signed: scoring == RiseScoring.Centered);
    }
}

/// <summary>How <see cref="Rise"/> turns the masked scores into a map.</summary>
public enum RiseScoring
{
    /// <summary>E[P | pixel kept] − E[P]: free of the mask-count noise; signed around 0.</summary>
    Centered,

    /// <summary>Petsiuk 2018 eq. 6, Σ_i P_i·m_i / (N·p).</summary>
    Paper,
}
