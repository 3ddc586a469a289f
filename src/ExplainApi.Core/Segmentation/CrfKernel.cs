namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One Gaussian kernel of the CRF with pydensecrf's NORMALIZE_SYMMETRIC: K̃ = D^−½·K·D^−½ with D = diag(K·1), so the
/// message to pixel i is w·n_i·Σ_j k_ij·n_j·Q_j with n = 1/√(K·1 + 1e-20) (pairwise.cpp, DenseKernel::initLattice).
/// </summary>
internal sealed class CrfKernel
{
    public CrfKernel(float[] features, int dimensions, float weight, ParallelOptions parallelism)
    {
        Lattice = new PermutohedralLattice(features, dimensions, parallelism);
        Weight = weight;
        var n = Lattice.PointCount;
        var ones = new float[n];
        Array.Fill(ones, 1f);
        Norm = new float[n];
        Lattice.Filter(ones, Norm, 1);
        for (var i = 0; i < n; i++)
        {
            Norm[i] = 1f / MathF.Sqrt(Norm[i] + 1e-20f);
        }

        MessageScale = [.. Norm.Select(n => weight * n)];
        Weights = Lattice.Scaled(Norm, MessageScale);
    }

    public PermutohedralLattice Lattice { get; }

    public float Weight { get; }

    /// <summary>n_i = (K·1)_i^−½, the input's factor.</summary>
    public float[] Norm { get; }

    /// <summary>w·n_i, the output's factor: the message is w·n_i·Σ_j k_ij·n_j·Q_j.</summary>
    public float[] MessageScale { get; }

    /// <summary>The lattice's weights with n on the splat and α·w·n on the slice, for every mean-field run.</summary>
    public LatticeWeights Weights { get; }
}
