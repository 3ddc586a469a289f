using ExplainApi.Core.Saliency;

namespace ExplainApi.Core.Tests.Saliency;

/// <summary>
/// Eigen-CAM against a principal component found differently: cyclic Jacobi rotations diagonalise the
/// K×K channel covariance X Xᵀ; the map is Xᵀu for its top eigenvector u, signed to correlate positively
/// with Σ_k A_k. Eigenvectors come with an arbitrary sign, so the sign is settled by that rule alone.
/// </summary>
public class EigenCamTests
{
    [Theory]
    [InlineData(3, 4, 4, 1)] // K < hw: the implementation uses the channel Gram matrix
    [InlineData(6, 2, 2, 2)] // K > hw: it uses the position Gram matrix, the reference still the channel one
    [InlineData(4, 3, 5, 3)]
    public void The_map_is_the_projection_on_the_first_principal_component(int k, int h, int w, int seed)
    {
        var random = new Random(seed);
        var activations = Enumerable.Range(0, k * h * w).Select(_ => (float)(2 * random.NextDouble())).ToArray();
        var inputs = new SaliencyInputs(activations, k, h, w, h, w, 0);

        var expected = Reference(activations, k, h * w);
        var raw = new EigenCam().Compute(inputs).Raw;

        Assert.Contains(raw, v => v > 0);
        SaliencyTestData.AssertClose(SaliencyTestData.Relu(expected), raw, 1e-4);
    }

    [Fact]
    public void Negating_activations_does_not_flip_the_sign_rule()
    {
        // -A has the same principal axis; the map must still correlate positively with Σ_k (−A_k).
        var x = SaliencyTestData.Seeded();
        var negated = Array.ConvertAll(x.Activations, v => -v);
        var expected = Reference(negated, 3, 16);

        var raw = new EigenCam().Compute(new SaliencyInputs(negated, 3, 4, 4, 4, 4, 0)).Raw;

        SaliencyTestData.AssertClose(SaliencyTestData.Relu(expected), raw, 1e-4);
    }

    private static double[] Reference(float[] activations, int k, int positions)
    {
        var x = new double[k, positions];
        for (var c = 0; c < k; c++)
        {
            var mean = Enumerable.Range(0, positions).Average(i => (double)activations[(c * positions) + i]);
            for (var i = 0; i < positions; i++)
            {
                x[c, i] = activations[(c * positions) + i] - mean;
            }
        }

        var covariance = new double[k, k];
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                for (var i = 0; i < positions; i++)
                {
                    covariance[a, b] += x[a, i] * x[b, i];
                }
            }
        }

        var (values, vectors) = Jacobi(covariance, k);
        var top = Enumerable.Range(0, k).MaxBy(j => values[j]);
        var map = new double[positions];
        for (var i = 0; i < positions; i++)
        {
            for (var c = 0; c < k; c++)
            {
                map[i] += vectors[c, top] * x[c, i];
            }
        }

        var correlation = 0.0;
        for (var i = 0; i < positions; i++)
        {
            correlation += map[i] * Enumerable.Range(0, k).Sum(c => (double)activations[(c * positions) + i]);
        }

        return correlation < 0 ? Array.ConvertAll(map, v => -v) : map;
    }

    // Cyclic Jacobi eigenvalue algorithm for a symmetric matrix: eigenvalues and column eigenvectors.
    private static (double[] Values, double[,] Vectors) Jacobi(double[,] matrix, int n)
    {
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            var offDiagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p, q] * a[p, q];
                }
            }

            if (offDiagonal < 1e-24)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var r = 0; r < n; r++)
                    {
                        var (arp, arq) = (a[r, p], a[r, q]);
                        (a[r, p], a[r, q]) = ((c * arp) - (s * arq), (s * arp) + (c * arq));
                    }

                    for (var r = 0; r < n; r++)
                    {
                        var (apr, aqr) = (a[p, r], a[q, r]);
                        (a[p, r], a[q, r]) = ((c * apr) - (s * aqr), (s * apr) + (c * aqr));
                    }

                    for (var r = 0; r < n; r++)
                    {
                        var (vrp, vrq) = (v[r, p], v[r, q]);
                        (v[r, p], v[r, q]) = ((c * vrp) - (s * vrq), (s * vrp) + (c * vrq));
                    }
                }
            }
        }

        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }
}
