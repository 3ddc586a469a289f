using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// How <see cref="SeedGenerator"/> builds seeds: the saliency method giving the per-class maps (any method of
/// <see cref="SaliencyMethods"/> the model supports; PSA uses CAM), PSA's α, and the probability threshold that
/// selects the classes of a sigmoid classifier when no labels are given.
/// </summary>
public sealed record SeedOptions
{
    public static SeedOptions Default { get; } = new();

    public string Method { get; init; } = "cam";

    public double Alpha { get; init; } = CamSeeds.DefaultAlpha;

    public double Threshold { get; init; } = ImageLabels.DefaultThreshold;

    /// <summary>Settings of the saliency method (RISE masks, seed, …).</summary>
    public SaliencyOptions Saliency { get; init; } = SaliencyOptions.Default;

    /// <exception cref="ArgumentException">An unknown method name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α not positive, or a threshold outside [0, 1].</exception>
    public ISaliencyMethod Validate()
    {
        if (!double.IsFinite(Alpha) || Alpha <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must be a positive number.");
        }

        if (Threshold is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold is a probability in [0, 1].");
        }

        return SaliencyMethods.TryGet(Method, out var method) ? method : throw new ArgumentException($"Unknown saliency method '{Method}'.", nameof(Method));
    }
}
