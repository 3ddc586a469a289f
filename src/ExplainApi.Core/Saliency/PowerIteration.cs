namespace ExplainApi.Core.Saliency;

/// <summary>
/// The dominant eigenvector of a symmetric positive semi-definite matrix (a Gram matrix) by power
/// iteration in double precision. Plain iteration converges at the rate λ₂/λ₁, slow when the top two
/// eigenvalues are close, so after each round without convergence the matrix is squared (same
/// eigenvectors, ratios squared) and a few final steps on the original matrix remove the round-off of
/// the squarings. Converged means a residual ‖Mv − λv‖ ≤ 1e-8·λ; a tie gives some unit vector of the
/// dominant eigenspace, as good a principal component as any.
/// </summary>
internal static class PowerIteration
{
    private const int StepsPerRound = 64;
    private const int MaxSquarings = 5;
    private const int PolishSteps = 16;
    private const double Tolerance = 1e-8;

    /// <summary>A unit vector v maximising vᵀMv (zeros when M = 0); <paramref name="matrix"/> is n×n row-major.</summary>
    public static double[] TopEigenvector(double[] matrix, int n)
    {
        // A fixed pseudo-random start: deterministic, and almost surely not orthogonal to the answer
        // (a constant start would be, for a Gram matrix of centred data).
        var random = new Random(20_201_026);
        var v = new double[n];
        for (var i = 0; i < n; i++)
        {
            v[i] = random.NextDouble() - 0.5;
        }

        Normalize(v);
        var current = matrix;
        for (var round = 0; !Iterate(current, v, n, StepsPerRound) && round < MaxSquarings; round++)
        {
            current = Square(current, n);
        }

        if (!ReferenceEquals(current, matrix))
        {
            Iterate(matrix, v, n, PolishSteps);
        }

        return v;
    }

    /// <summary>vᵀMv for a unit vector v: its eigenvalue when v is an eigenvector.</summary>
    public static double RayleighQuotient(double[] matrix, double[] v, int n) => DenseMath.Dot(v, Multiply(matrix, v, n));

    // Up to `steps` steps v ← Mv/‖Mv‖ in place; true once converged (or when Mv = 0: v becomes zeros).
    private static bool Iterate(double[] matrix, double[] v, int n, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            var next = Multiply(matrix, v, n);
            var lambda = DenseMath.Dot(v, next);
            var residual = 0.0;
            for (var i = 0; i < n; i++)
            {
                residual += (next[i] - (lambda * v[i])) * (next[i] - (lambda * v[i]));
            }

            if (!Normalize(next))
            {
                Array.Clear(v);
                return true;
            }

            next.CopyTo(v, 0);
            if (Math.Sqrt(residual) <= Tolerance * lambda)
            {
                return true;
            }
        }

        return false;
    }

    private static double[] Multiply(double[] matrix, double[] v, int n)
    {
        var result = new double[n];
        for (var r = 0; r < n; r++)
        {
            result[r] = DenseMath.Dot(matrix.AsSpan(r * n, n), v);
        }

        return result;
    }

    // M², scaled by its largest entry so that repeated squaring neither overflows nor underflows.
    private static double[] Square(double[] matrix, int n)
    {
        var result = new double[n * n];
        for (var r = 0; r < n; r++)
        {
            var target = result.AsSpan(r * n, n);
            for (var t = 0; t < n; t++)
            {
                DenseMath.AddScaled(target, matrix[(r * n) + t], matrix.AsSpan(t * n, n));
            }
        }

        var largest = 0.0;
        foreach (var e in result)
        {
            largest = Math.Max(largest, Math.Abs(e));
        }

        if (largest > 0 && double.IsFinite(largest))
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] /= largest;
            }
        }

        return result;
    }

    private static bool Normalize(double[] v)
    {
        var norm = 0.0;
        foreach (var e in v)
        {
            norm += e * e;
        }

        norm = Math.Sqrt(norm);
        if (norm == 0 || !double.IsFinite(norm))
        {
            return false;
        }

        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return true;
    }
}
