namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>A model-agnostic saliency method that needs only forward passes on perturbed copies of the image.</summary>
public interface IPerturbationMethod
{
    /// <summary>The name the API addresses the method by (<c>occlusion</c>, <c>rise</c>).</summary>
    string Name { get; }

    /// <summary>The map for class <paramref name="targetClass"/> of <paramref name="image"/> (C×H×W), at H×W.</summary>
    SaliencyMap Compute(ForwardContext model, float[] image, int targetClass);
}
