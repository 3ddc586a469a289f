namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// What an explanation request costs before it runs, in pass-pixels: Σ over images of the weighted model passes
/// (<see cref="ModelPasses.Weighted"/>) × the model input's H×W. Each method states its own passes
/// (<see cref="ISaliencyMethod.Passes"/>); one shared pass per image, as the saliency runner makes it: the forward, or
/// the gradient pass when a method reads gradients (its logits and activations serve as the forward).
/// </summary>
public static class ExplanationCost
{
    /// <summary>
    /// A gradient (forward + backward) item in forward items: docs/benchmarks.md measures 3.3–3.6 (Integrated
    /// Gradients' and SmoothGrad's CPU time per gradient item over RISE's per masked forward, 112² and 224²).
    /// </summary>
    public const double GradientPassWeight = 3.5;

    /// <summary>
    /// A pass pruned to ∂y_c/∂A (<see cref="IExplainableModel.HasActivationGradientPass"/>) in forward items: docs/benchmarks.md
    /// measures 0.95–1.05 across runs at batch 1 and 16 (1.01 in the committed one).
    /// </summary>
    public const double ActivationGradientPassWeight = 1.1;

    /// <summary>
    /// A head-only item (GAP → linear after the target layer) in forward items: measured 0.04 for the bench ResNet
    /// (Ablation-CAM minus CAM over K + 1); 0.1 leaves room for heavier heads.
    /// </summary>
    public const double HeadPassWeight = 0.1;

    /// <summary>K assumed when a model does not state its target layer's channels (ResNet-50's layer4).</summary>
    public const int AssumedChannels = 2048;

    /// <summary>The passes of one image: the shared ones plus every method's own.</summary>
    public static ModelPasses PerImage(IExplainableModel model, IEnumerable<ISaliencyMethod> methods, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(options);
        var list = methods.ToList();
        var wanted = SaliencyNeedsOf.Gradients(list);
        // One shared pass per image: a forward, or a gradient pass whose logits and activations serve as the forward.
        var passes = wanted == SaliencyNeeds.ForwardOnly ? new ModelPasses(Forward: 1)
            : !wanted.HasFlag(SaliencyNeeds.InputGradients) && model.HasActivationGradientPass ? new ModelPasses(Forward: ActivationGradientPassWeight)
            : new ModelPasses(Forward: 0, Gradient: 1);
        return list.Aggregate(passes, (sum, method) => sum + method.Passes(model, options));
    }

    /// <summary>Pass-pixels of <paramref name="images"/> images: weighted passes per image × images × H × W, rounded up.</summary>
    public static long Of(IExplainableModel model, IEnumerable<ISaliencyMethod> methods, SaliencyOptions options, int images)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        var perImage = PerImage(model, methods, options).Weighted;
        var pixels = (double)model.Shape.Height * model.Shape.Width;
        return (long)Math.Min(Math.Ceiling(perImage * images * pixels), long.MaxValue);
    }

    /// <summary>K of the model's target layer, or <see cref="AssumedChannels"/> when it does not say.</summary>
    public static int Channels(IExplainableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ActivationShape?.Channels ?? AssumedChannels;
    }
}
