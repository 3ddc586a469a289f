namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>What a saliency method needs of a model beyond plain forward passes (see <see cref="IExplainableModel"/>).</summary>
[Flags]
public enum SaliencyNeeds
{
    /// <summary>Forward passes only (occlusion, RISE): works on any classifier.</summary>
    ForwardOnly = 0,

    /// <summary>The target layer's activations A.</summary>
    Activations = 1,

    /// <summary>∂y_c/∂A, from the exported backward graph.</summary>
    ActivationGradients = 2,

    /// <summary>∂y_c/∂x, from the exported backward graph.</summary>
    InputGradients = 4,

    /// <summary>The weights of a GAP → linear head (CAM).</summary>
    LinearHead = 8,

    /// <summary>The head after the target layer, run on its own (Ablation-CAM).</summary>
    SeparableHead = 16,
}

/// <summary>What a set of methods needs together.</summary>
public static class SaliencyNeedsOf
{
    /// <summary>The gradients any of <paramref name="methods"/> reads: ∂y_c/∂A alone lets a model skip the backward below the target layer.</summary>
    public static SaliencyNeeds Gradients(IEnumerable<ISaliencyMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        return methods.Aggregate(SaliencyNeeds.ForwardOnly, (needs, m) => needs | m.Needs) & (SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients);
    }
}
