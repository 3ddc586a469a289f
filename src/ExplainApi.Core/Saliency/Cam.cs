using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// CAM (Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016, eq. for M_c):
/// for a GAP→linear head, w_k = W_fc[c, k]; L = ReLU(Σ_k w_k A_k).
/// </summary>
public sealed class Cam : CamMethod
{
    public override string Name => "cam";

    public override SaliencyNeeds Needs => SaliencyNeeds.Activations | SaliencyNeeds.LinearHead;

    protected override double[] ChannelWeights(SaliencyInputs inputs) =>
        Array.ConvertAll(inputs.HeadWeights!, w => (double)w);
}
