namespace ExplainApi.Core.Saliency;

/// <summary>
/// Grad-CAM (Selvaraju et al., ICCV 2017, eq. 1–2): α_k = (1/hw) Σ_ij ∂y_c/∂A_kij, the global-average-pooled
/// gradient; L = ReLU(Σ_k α_k A_k). For a GAP→linear head α_k = W_fc[c, k]/(hw), so Grad-CAM is CAM / (hw).
/// </summary>
public sealed class GradCam : CamMethod
{
    public override string Name => "gradcam";

    protected override double[] ChannelWeights(SaliencyInputs inputs)
    {
        var weights = new double[inputs.Channels];
        for (var k = 0; k < inputs.Channels; k++)
        {
            var sum = 0.0;
            foreach (var g in Channel(inputs.Gradients!, inputs, k))
            {
                sum += g;
            }

            weights[k] = sum / inputs.Positions;
        }

        return weights;
    }
}
