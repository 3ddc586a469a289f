using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// Σ_k w_k A_k with weights found elsewhere (Score-CAM's masked scores, Ablation-CAM's score drops), through
/// the shared CAM pipeline: ReLU, bilinear upsampling, normalisation.
/// </summary>
internal sealed class FixedWeightCam(string name, double[] weights) : CamMethod
{
    public override string Name => name;

    public override SaliencyNeeds Needs => SaliencyNeeds.Activations;

    protected override double[] ChannelWeights(SaliencyInputs inputs) => weights;
}
