namespace ExplainApi.Core.Saliency;

/// <summary>
/// Layer-CAM (Jiang et al., IEEE TIP 2021): each position keeps its own positive gradient,
/// L_ij = ReLU(Σ_k ReLU(g_kij) · A_kij).
/// </summary>
public sealed class LayerCam : ElementwiseCam
{
    public override string Name => "layercam";

    protected override double PositionWeight(float gradient) => Math.Max(gradient, 0f);
}
