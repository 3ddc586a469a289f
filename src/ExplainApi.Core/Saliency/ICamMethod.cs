namespace ExplainApi.Core.Saliency;

/// <summary>A class activation map method of the CAM family, computed from captured tensors only.</summary>
public interface ICamMethod
{
    /// <summary>The name the API addresses the method by (<c>gradcam</c>, <c>eigencam</c>, …).</summary>
    string Name { get; }

    /// <summary>True when <see cref="SaliencyInputs.Gradients"/> must be present.</summary>
    bool NeedsGradients { get; }

    /// <summary>True when <see cref="SaliencyInputs.HeadWeights"/> must be present.</summary>
    bool NeedsHeadWeights { get; }

    /// <summary>The map at the input's size, raw and normalised.</summary>
    SaliencyMap Compute(SaliencyInputs inputs);
}
