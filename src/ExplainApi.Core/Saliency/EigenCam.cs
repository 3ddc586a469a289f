using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// Eigen-CAM (Muhammad &amp; Yeasin, IJCNN 2020): the projection of the activations on their first
/// principal component. With X the K×hw matrix of A, each channel centred on its spatial mean (as
/// pytorch-grad-cam centres), the map is σ₁v₁, v₁ the first right singular vector of X, i.e. Xᵀu₁ for
/// u₁ the first left one. Its sign is arbitrary: it is chosen so that the map correlates positively with
/// Σ_k A_k. L = ReLU(σ₁v₁). Needs neither gradients nor a class: the map is the same for every target.
/// </summary>
public sealed class EigenCam : CamMethod
{
    public override string Name => "eigencam";

    public override SaliencyNeeds Needs => SaliencyNeeds.Activations;

    protected override double[] LowResolutionMap(SaliencyInputs inputs)
    {
        var (channels, positions) = (inputs.Channels, inputs.Positions);
        var x = new double[channels * positions];
        var channelSum = new double[positions];
        for (var k = 0; k < channels; k++)
        {
            var channel = Channel(inputs.Activations, inputs, k);
            var mean = 0.0;
            foreach (var a in channel)
            {
                mean += a;
            }

            mean /= positions;
            for (var i = 0; i < positions; i++)
            {
                x[(k * positions) + i] = channel[i] - mean;
                channelSum[i] += channel[i];
            }
        }

        var map = channels <= positions ? ViaChannelGram(x, channels, positions) : ViaPositionGram(x, channels, positions);
        // Centred rows make the map sum to zero, so its dot product with Σ_k A_k has the sign of their correlation.
        var dot = 0.0;
        for (var i = 0; i < positions; i++)
        {
            dot += map[i] * channelSum[i];
        }

        if (dot < 0)
        {
            for (var i = 0; i < positions; i++)
            {
                map[i] = -map[i];
            }
        }

        return map;
    }

    // K ≤ hw: u₁ = top eigenvector of X Xᵀ (K×K); map = Xᵀu₁ = σ₁v₁.
    private static double[] ViaChannelGram(double[] x, int channels, int positions)
    {
        var u = PowerIteration.TopEigenvector(GramMatrix.OfRows(x, channels, positions), channels);
        var map = new double[positions];
        for (var k = 0; k < channels; k++)
        {
            for (var i = 0; i < positions; i++)
            {
                map[i] += u[k] * x[(k * positions) + i];
            }
        }

        return map;
    }

    // hw < K: v₁ = top eigenvector of XᵀX (hw×hw), eigenvalue σ₁²; map = σ₁v₁.
    private static double[] ViaPositionGram(double[] x, int channels, int positions)
    {
        var gram = GramMatrix.OfColumns(x, channels, positions);
        var v = PowerIteration.TopEigenvector(gram, positions);
        var sigma = Math.Sqrt(Math.Max(PowerIteration.RayleighQuotient(gram, v, positions), 0));
        return Array.ConvertAll(v, e => e * sigma);
    }
}
