namespace ExplainApi.Core.Saliency;

/// <summary>
/// XGrad-CAM (Fu et al., "Axiom-based Grad-CAM", BMVC 2020): w_k = Σ_ij (A_kij / (Σ_ab A_kab + ε)) g_kij,
/// the gradient averaged with the activations as weights; L = ReLU(Σ_k w_k A_k). ε = 1e-7 as in pytorch-grad-cam.
/// </summary>
public sealed class XGradCam(double epsilon = XGradCam.DefaultEpsilon) : CamMethod
{
    public const double DefaultEpsilon = 1e-7;

    public override string Name => "xgradcam";

    protected override double[] ChannelWeights(SaliencyInputs inputs)
    {
        var weights = new double[inputs.Channels];
        for (var k = 0; k < inputs.Channels; k++)
        {
            var activations = Channel(inputs.Activations, inputs, k);
            var gradients = Channel(inputs.Gradients!, inputs, k);
            double activationSum = 0, weighted = 0;
            for (var i = 0; i < activations.Length; i++)
            {
                activationSum += activations[i];
                weighted += (double)activations[i] * gradients[i];
            }

            weights[k] = weighted / (activationSum + epsilon);
        }

        return weights;
    }
}
