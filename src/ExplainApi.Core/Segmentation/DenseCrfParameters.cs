namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The kernels and mean-field iterations of the fully connected CRF (Krähenbühl &amp; Koltun 2011, eq. 3): a smoothness
/// kernel exp(−|p_i − p_j|²/2θγ²) with weight w2 and an appearance kernel exp(−|p_i − p_j|²/2θα² − |I_i − I_j|²/2θβ²)
/// with weight w1, Potts compatibility. θγ, θα are in pixels, θβ in intensity units of 0–255 (pydensecrf's uint8 scale).
/// The defaults are PSA's and SSDD's. A weight of 0 switches its kernel off.
/// </summary>
public sealed record DenseCrfParameters(
    float SmoothnessTheta = 3,
    float SmoothnessWeight = 3,
    float AppearancePositionTheta = 80,
    float AppearanceIntensityTheta = 13,
    float AppearanceWeight = 10,
    int Iterations = 10)
{
    public const int MaxIterations = 50;

    public static DenseCrfParameters Default { get; } = new();

    /// <summary>Null when usable, else a message for the client (the route answers 400 with it).</summary>
    public string? Validate() =>
        !Positive(SmoothnessTheta) ? $"The smoothness θγ must be a finite number ≥ {MinTheta}." :
        !Positive(AppearancePositionTheta) ? $"The appearance θα must be a finite number ≥ {MinTheta}." :
        !Positive(AppearanceIntensityTheta) ? $"The appearance θβ must be a finite number ≥ {MinTheta}." :
        !(float.IsFinite(SmoothnessWeight) && SmoothnessWeight >= 0) ? "The smoothness weight w2 must be a finite number ≥ 0." :
        !(float.IsFinite(AppearanceWeight) && AppearanceWeight >= 0) ? "The appearance weight w1 must be a finite number ≥ 0." :
        Iterations is < 0 or > MaxIterations ? $"Iterations must be between 0 and {MaxIterations}." :
        null;

    // Below this the scaled features (x/θ) would leave float's exact range and the lattice's integer coordinates; such a
    // kernel is a delta anyway (set its weight to 0 instead).
    private const float MinTheta = 1e-3f;

    private static bool Positive(float theta) => float.IsFinite(theta) && theta >= MinTheta;
}
