namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Per-request settings of the methods, with METHODS.md §1's defaults. <see cref="Seed"/> makes the random
/// methods (SmoothGrad, RISE) repeatable: the same request gives the same map.
/// </summary>
public sealed record SaliencyOptions
{
    public static SaliencyOptions Default { get; } = new();

    /// <summary>SmoothGrad (Smilkov 2017): noisy copies n.</summary>
    public int SmoothGradSamples { get; init; } = 50;

    /// <summary>SmoothGrad: noise σ as a fraction of (max x − min x).</summary>
    public double SmoothGradNoise { get; init; } = 0.15;

    /// <summary>Integrated Gradients (Sundararajan 2017): Riemann steps M from the zero baseline.</summary>
    public int IntegratedGradientsSteps { get; init; } = 64;

    /// <summary>RISE (Petsiuk 2018): random masks N.</summary>
    public int RiseMasks { get; init; } = 2000;

    /// <summary>RISE: the centred estimator (default) or the paper's eq. 6 scaling (see <see cref="Perturbation.Rise"/>).</summary>
    public Perturbation.RiseScoring RiseScoring { get; init; } = Perturbation.RiseScoring.Centered;

    /// <summary>Occlusion patch side in pixels; null = round(min(H, W)/8).</summary>
    public int? OcclusionPatch { get; init; }

    /// <summary>Occlusion stride; null = half the patch.</summary>
    public int? OcclusionStride { get; init; }

    /// <summary>Score-CAM: subtract the baseline score (the paper's CIC) instead of using the raw probability.</summary>
    public bool ScoreCamSubtractBaseline { get; init; }

    /// <summary>Score-CAM: one masked forward per channel (exact, the default) or only for the top-ranked channels (fast).</summary>
    public Perturbation.ScoreCamMode ScoreCamMode { get; init; }

    /// <summary>Fast Score-CAM: channels kept k; null = <see cref="Perturbation.ScoreCamChannels.Default"/> (K/16, at least 16).</summary>
    public int? ScoreCamChannels { get; init; }

    /// <summary>Seed of the random methods.</summary>
    public ulong Seed { get; init; }
}
