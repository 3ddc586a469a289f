namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// One saliency method, addressed by the API as <see cref="Name"/> (<c>gradcam</c>, <c>rise</c>, …). Every
/// method is a small stateless class; settings come in <see cref="SaliencyOptions"/> per request.
/// </summary>
public interface ISaliencyMethod
{
    string Name { get; }

    /// <summary>What the model must offer; <see cref="SaliencyMethods.Supports"/> checks it against a model's flags.</summary>
    SaliencyNeeds Needs { get; }

    /// <summary>True when the method reads gradients (∂y_c/∂A or ∂y_c/∂x), i.e. needs the exported backward graph.</summary>
    bool NeedsGradients => (Needs & (SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients)) != 0;

    /// <summary>
    /// The model passes this method runs for one image beyond the context's shared forward and gradient pass, at
    /// <paramref name="options"/>' settings (an upper bound where the work depends on the image).
    /// </summary>
    ModelPasses Passes(IExplainableModel model, SaliencyOptions options);

    /// <summary>The map for <see cref="ExplanationContext.TargetClass"/> of the context's image, at the input's H×W.</summary>
    SaliencyMap Compute(ExplanationContext context);
}
