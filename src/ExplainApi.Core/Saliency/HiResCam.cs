namespace ExplainApi.Core.Saliency;

/// <summary>
/// HiRes-CAM (Draelos &amp; Carin, "Use HiResCAM instead of Grad-CAM", 2020): the gradient multiplies
/// the activations element-wise instead of being averaged first, L_ij = ReLU(Σ_k g_kij · A_kij).
/// </summary>
public sealed class HiResCam : ElementwiseCam
{
    public override string Name => "hirescam";

    protected override double PositionWeight(float gradient) => gradient;
}
