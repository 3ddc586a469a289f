namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>Builds the CAM family's <see cref="SaliencyInputs"/> from a context's shared passes.</summary>
internal static class ExplanationInputs
{
    /// <summary>
    /// A (K×h×w) from the gradient pass when the method reads ∂y_c/∂A (so A and g come from the same pass),
    /// else from the forward pass; W_fc[c] when the method needs a linear head.
    /// </summary>
    public static SaliencyInputs Cam(ExplanationContext context, SaliencyNeeds needs)
    {
        var model = context.Model;
        var target = context.TargetClass;
        float[]? activations, gradients = null, headWeights = null;
        ActivationShape? shape;
        if (needs.HasFlag(SaliencyNeeds.ActivationGradients))
        {
            var pass = context.Gradients;
            gradients = pass.ActivationGradients ?? throw Missing("∂y_c/∂A of the target layer");
            (activations, shape) = pass.Activations is null ? (context.Forward.Activations, context.Forward.ActivationShape) : (pass.Activations, pass.ActivationShape);
        }
        else
        {
            (activations, shape) = (context.Forward.Activations, context.Forward.ActivationShape);
        }

        if (activations is null || shape is not { } a)
        {
            throw Missing("the target layer's activations");
        }

        if (needs.HasFlag(SaliencyNeeds.LinearHead))
        {
            headWeights = model.HeadWeights(target);
        }

        return new SaliencyInputs(activations, a.Channels, a.Height, a.Width, model.Shape.Height, model.Shape.Width, target, gradients, headWeights);
    }

    private static NotSupportedException Missing(string what) => new($"The model returned no {what}.");
}
