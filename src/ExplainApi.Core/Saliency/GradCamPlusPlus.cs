namespace ExplainApi.Core.Saliency;

/// <summary>
/// Grad-CAM++ (Chattopadhay et al., WACV 2018, eq. 19). With the exponential of the score, the 2nd and 3rd
/// derivatives become powers of g = ∂y_c/∂A, so a_kij = g² / (2g² + (Σ_ab A_kab)·g³ + ε) (0 where g = 0)
/// and w_k = Σ_ij a_kij · ReLU(g_kij); L = ReLU(Σ_k w_k A_k). ε = 1e-6 as in pytorch-grad-cam.
/// A denominator ≤ 0 (possible only when Σ A &lt; 0, a target layer taken before its ReLU) gives
/// a_kij = 0 where pytorch-grad-cam would produce an infinity.
/// </summary>
public sealed class GradCamPlusPlus(double epsilon = GradCamPlusPlus.DefaultEpsilon) : CamMethod
{
    public const double DefaultEpsilon = 1e-6;

    public override string Name => "gradcampp";

    protected override double[] ChannelWeights(SaliencyInputs inputs)
    {
        var weights = new double[inputs.Channels];
        for (var k = 0; k < inputs.Channels; k++)
        {
            var activationSum = 0.0;
            foreach (var a in Channel(inputs.Activations, inputs, k))
            {
                activationSum += a;
            }

            var sum = 0.0;
            foreach (var gradient in Channel(inputs.Gradients!, inputs, k))
            {
                // g ≤ 0 has ReLU(g) = 0 and contributes nothing, whatever a_kij is (skipping it also
                // avoids 0/0 at g = 0 when ε = 0).
                double g = gradient, g2 = g * g;
                var denominator = (2 * g2) + (activationSum * g2 * g) + epsilon;
                if (g > 0 && denominator > 0)
                {
                    sum += g2 / denominator * g;
                }
            }

            weights[k] = sum;
        }

        return weights;
    }
}
