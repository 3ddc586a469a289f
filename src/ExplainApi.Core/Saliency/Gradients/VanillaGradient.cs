using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Gradients;

/// <summary>
/// Vanilla gradient (Simonyan, Vedaldi &amp; Zisserman, "Deep Inside Convolutional Networks", ICLR workshop 2014,
/// §3.1): M_ij = max_c |∂y_c/∂x_cij|, at the input's resolution, from the context's one gradient pass.
/// </summary>
public sealed class VanillaGradient : ISaliencyMethod
{
    public string Name => "gradient";

    public SaliencyNeeds Needs => SaliencyNeeds.InputGradients;

    /// <summary>Reads the context's shared gradient pass only.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options) => ModelPasses.None;

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shape = context.Model.Shape;
        var map = new double[shape.Height * shape.Width];
        GradientBatches.AddMaxAbs(context.Gradients.InputGradients, shape.Channels, map);
        return RawMaps.Create(Name, context.TargetClass, shape.Height, shape.Width, map);
    }
}
