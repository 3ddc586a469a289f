namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The fully connected CRF of Krähenbühl &amp; Koltun (NIPS 2011) as pydensecrf computes it: Potts compatibility, a
/// smoothness and an appearance Gaussian kernel, each filtered by a <see cref="PermutohedralLattice"/> and normalised
/// symmetrically, and mean-field inference (their Algorithm 1). Constructing one builds both lattices for an image (the
/// "lattice" cost); <see cref="Infer"/> then runs the iterations for any unary on that image. Infer is not thread-safe.
/// </summary>
public sealed class DenseCrf
{
    private readonly CrfKernel[] kernels;
    private readonly ParallelOptions parallelism;

    /// <param name="parallelism">Bounds the threads of the build and of <see cref="Infer(float[])"/> (null: all cores); the
    /// results are identical for any setting.</param>
    /// <exception cref="CrfInputException">The image, label count or parameters are unusable (see <see cref="Validate"/>).</exception>
    public DenseCrf(CrfImage image, int labels, DenseCrfParameters parameters, ParallelOptions? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(parameters);
        if (Validate(image, labels, parameters) is { } error)
        {
            throw new CrfInputException(error);
        }

        (Height, Width, Labels, Parameters) = (image.Height, image.Width, labels, parameters);
        this.parallelism = parallelism ?? new ParallelOptions();
        var needed = labels > 1 && parameters.Iterations > 0;
        var list = new List<CrfKernel>();
        if (needed && parameters.SmoothnessWeight > 0)
        {
            list.Add(new CrfKernel(CrfFeatures.Smoothness(Height, Width, parameters.SmoothnessTheta), 2, parameters.SmoothnessWeight, this.parallelism));
        }

        if (needed && parameters.AppearanceWeight > 0)
        {
            list.Add(new CrfKernel(CrfFeatures.Appearance(image, parameters.AppearancePositionTheta, parameters.AppearanceIntensityTheta),
                2 + image.Channels, parameters.AppearanceWeight, this.parallelism));
        }

        kernels = [.. list];
    }

    public int Height { get; }

    public int Width { get; }

    public int Labels { get; }

    public DenseCrfParameters Parameters { get; }

    /// <summary>The lattices built (smoothness first; none when one label, no iterations or both weights 0).</summary>
    public IEnumerable<PermutohedralLattice> Lattices => kernels.Select(k => k.Lattice);

    /// <summary>Null when the CRF can run on this image with these labels and parameters, else a message for the client.</summary>
    public static string? Validate(CrfImage image, int labels, DenseCrfParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(parameters);
        return image.Validate() ?? parameters.Validate() ??
            (labels is < 1 or > 4096 ? "The label count must be between 1 and 4096." :
            (long)image.PixelCount * (labels + 8) > 1 << 28 ? "Pixels × labels is too large for one CRF (at most about 2^28)." : null);
    }

    /// <summary>Mean field from class probabilities p (C × H × W), unary −log(clip(p, 1e-5, 1)).</summary>
    /// <exception cref="CrfInputException">Any input is invalid (NaN, wrong length, sums not 1, θ ≤ 0 …).</exception>
    public static DenseCrfResult Infer(CrfImage image, float[] probabilities, int labels, DenseCrfParameters? parameters = null)
    {
        parameters ??= DenseCrfParameters.Default;
        var crf = new DenseCrf(image, labels, parameters);
        if (CrfUnary.ValidateProbabilities(probabilities, labels, image.PixelCount) is { } error)
        {
            throw new CrfInputException(error);
        }

        return crf.Infer(CrfUnary.FromProbabilities(probabilities));
    }

    /// <summary>
    /// <see cref="DenseCrfParameters.Iterations"/> mean-field updates Q ← softmax(−U + Σ_m w_m·K̃_m·Q) from Q = softmax(−U)
    /// (DenseCRF::inference: Potts compatibility −w turns the filtered Q into a reward for agreeing labels).
    /// </summary>
    /// <param name="unary">U, C × H × W, finite.</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    public DenseCrfResult Infer(float[] unary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unary);
        if (CrfUnary.ValidateUnary(unary, Labels, Height * Width) is { } error)
        {
            throw new CrfInputException(error);
        }

        var field = new MeanField(kernels, unary, Labels, Height * Width, parallelism);
        field.Run(kernels.Length == 0 ? 0 : Parameters.Iterations, cancellationToken);
        return field.Result(Height, Width);
    }
}
